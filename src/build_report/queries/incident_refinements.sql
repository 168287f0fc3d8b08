-- Returns one row per incident: its date window and killed range refined from high- or medium-confidence corroborating reports, with the report IDs used.
WITH used AS (
    SELECT k.*, i.date_start, i.date_end, i.killed_described_as AS claim_category
    FROM corroborations AS k JOIN incidents AS i USING (incident_id)
    WHERE k.relation IN ('probable_original', 'independent') AND k.confidence IN ('high', 'medium')
), dates AS (
    -- Only dates inside the compilation's own window narrow it; others are conflicts, not refinements.
    SELECT incident_id, min(event_date_start) AS date_start_refined, max(event_date_end) AS date_end_refined,
        string_agg(corroboration_id, ' ' ORDER BY corroboration_id) AS date_ids
    FROM used
    WHERE event_date_start >= date_start AND event_date_end <= date_end
    GROUP BY incident_id
), figures AS (
    SELECT incident_id, min(killed_min) AS report_min,
        CASE WHEN count(*) = count(killed_max) THEN max(killed_max) END AS report_max,
        string_agg(corroboration_id, ' ' ORDER BY corroboration_id) AS killed_ids
    -- Categories stay apart: only a figure that counts the same people as the claim (civilians with
    -- civilians, children with children) refines its range; a toll that includes fighters does not.
    FROM used WHERE killed_min IS NOT NULL AND killed_described_as = claim_category
    GROUP BY incident_id
)
SELECT
    i.incident_id,
    d.date_start_refined,
    d.date_end_refined,
    -- Counts are refined only where the compilation itself gives one: a town's toll is not a figure for
    -- a claim about one child.
    CASE WHEN f.report_min IS NOT NULL AND i.killed_min IS NOT NULL THEN least(i.killed_min, f.report_min) END AS killed_min_refined,
    -- The range stays open if the compilation or any report leaves it open.
    CASE WHEN f.report_max IS NOT NULL AND i.killed_max IS NOT NULL THEN greatest(i.killed_max, f.report_max) END AS killed_max_refined,
    d.date_ids,
    CASE WHEN i.killed_min IS NOT NULL THEN f.killed_ids END AS killed_ids
FROM incidents AS i
LEFT JOIN dates AS d USING (incident_id)
LEFT JOIN figures AS f USING (incident_id)
ORDER BY i.incident_id
