-- Returns the number of corroboration, crosswalk and context rows with a second-pass review, and their IDs: rows whose latest review is not pending (a row added or changed after its last review awaits a new one).
WITH latest AS (
    SELECT "table", row_id, arg_max(outcome, CAST(regexp_extract(review_id, '[0-9]+') AS BIGINT)) AS outcome
    FROM reviews GROUP BY ALL
)
SELECT count(DISTINCT row_id) AS value, coalesce(list(DISTINCT row_id ORDER BY row_id), []) AS ids
FROM latest WHERE outcome <> 'pending'
