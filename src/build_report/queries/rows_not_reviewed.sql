-- Returns the number of corroboration, crosswalk and context rows without a second-pass review, and their IDs.
WITH rows_ AS (
    SELECT 'corroborations' AS "table", corroboration_id AS row_id FROM corroborations
    UNION ALL SELECT 'crosswalk', crosswalk_id FROM crosswalk
    UNION ALL SELECT 'context_totals', context_id FROM context_totals
)
SELECT count(*) AS value, coalesce(list(row_id ORDER BY row_id), []) AS ids
FROM rows_ r WHERE NOT EXISTS (SELECT 1 FROM reviews v WHERE v.row_id = r.row_id AND v."table" = r."table")
