-- Returns every row a second-pass review corrected: the row, what it concerns, the review and the fields it changed.
SELECT v.row_id AS id, v."table", coalesce(k.incident_id, k.tally_id, k.claim_id, x.incident_id, x.tally_id, c.tracker) AS concerns,
    v.review_id, replace(v.fields_changed, ';', ', ') AS fields_corrected
FROM reviews v
LEFT JOIN corroborations k ON v."table" = 'corroborations' AND k.corroboration_id = v.row_id
LEFT JOIN crosswalk x ON v."table" = 'crosswalk' AND x.crosswalk_id = v.row_id
LEFT JOIN context_totals c ON v."table" = 'context_totals' AND c.context_id = v.row_id
WHERE v.outcome = 'corrected'
ORDER BY v."table", v.row_id, v.review_id
