-- Returns the number of corroboration, crosswalk and context rows without a second-pass review, and their IDs: no review at all, or a latest review that is pending (the row was added or changed after its last review).
WITH rows_ AS (
    SELECT 'corroborations' AS "table", corroboration_id AS row_id FROM corroborations
    UNION ALL SELECT 'crosswalk', crosswalk_id FROM crosswalk
    UNION ALL SELECT 'context_totals', context_id FROM context_totals
), latest AS (
    SELECT "table", row_id, arg_max(outcome, CAST(regexp_extract(review_id, '[0-9]+') AS BIGINT)) AS outcome
    FROM reviews GROUP BY ALL
)
SELECT count(*) AS value, coalesce(list(r.row_id ORDER BY r.row_id), []) AS ids
FROM rows_ r LEFT JOIN latest l USING ("table", row_id)
WHERE l.outcome IS NULL OR l.outcome = 'pending'
