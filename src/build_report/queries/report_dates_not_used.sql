-- Returns the number of corroborating reports (corroborations rows) that give an event date for an active incident but did not narrow its window (a candidate, conflicting or low-confidence report, or a date outside the compilation's window), with their IDs.
SELECT count(*) AS value, list(k.corroboration_id ORDER BY k.corroboration_id) AS ids
FROM active_incidents i JOIN corroborations k USING (incident_id)
WHERE k.event_date_start IS NOT NULL
    AND NOT (k.relation IN ('probable_original', 'independent') AND k.confidence IN ('high', 'medium')
             AND k.event_date_start >= i.date_start AND k.event_date_end <= i.date_end)
