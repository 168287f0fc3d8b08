-- Returns one row per mark of the time line: each active incident's compilation window, its refined window (if corroboration narrowed it) and the event date of each report found for it, with the basis of each.
SELECT i.incident_id AS id, i.title, 'the compilation''s window' AS layer, i.date_start AS date_from,
    i.date_end + 1 AS date_after, i.date_start AS window_start, i.date_end AS window_end, i.date_basis AS basis,
    NULL AS report_id, NULL AS report
FROM active_incidents i
UNION ALL
SELECT i.incident_id, i.title, 'refined window', i.date_start_refined, i.date_end_refined + 1,
    i.date_start_refined, i.date_end_refined, i.refinement_basis, NULL, NULL
FROM active_incidents i WHERE i.date_start_refined IS NOT NULL
UNION ALL
SELECT i.incident_id, i.title,
    CASE WHEN k.relation IN ('probable_original', 'independent') AND k.confidence IN ('high', 'medium')
              AND k.event_date_start >= i.date_start AND k.event_date_end <= i.date_end
         THEN 'report used for the refined window' ELSE 'report not used for a window' END,
    k.event_date_start, k.event_date_start + 1, k.event_date_start, k.event_date_end, k.event_date_basis,
    k.corroboration_id, coalesce(k.publisher_as_shown, '') || ' (' || replace(k.relation, '_', ' ') || ', ' || k.confidence || ' confidence)'
FROM active_incidents i JOIN corroborations k USING (incident_id)
WHERE k.event_date_start IS NOT NULL
ORDER BY id, layer, date_from, report_id
