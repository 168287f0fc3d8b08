-- Returns every corroboration, crosswalk and context row with its second-pass review status: reviewed twice (coded, then reviewed), awaiting review after a change, or not yet, the review, its outcome and the fields it corrected.
WITH rows_ AS (
    SELECT 'corroborations' AS "table", corroboration_id AS row_id, coalesce(incident_id, tally_id, claim_id) AS concerns FROM corroborations
    UNION ALL SELECT 'crosswalk', crosswalk_id, coalesce(incident_id, tally_id) FROM crosswalk
    UNION ALL SELECT 'context_totals', context_id, tracker FROM context_totals
)
SELECT r.row_id AS id, r."table", r.concerns,
    CASE WHEN v.review_id IS NULL THEN 'not yet reviewed' WHEN v.outcome = 'pending' THEN 'awaiting review after a change' ELSE 'reviewed twice' END AS status,
    v.review_id, v.outcome, replace(v.fields_changed, ';', ', ') AS fields_corrected
FROM rows_ r LEFT JOIN reviews v ON v.row_id = r.row_id AND v."table" = r."table"
ORDER BY r."table", r.row_id, v.review_id
