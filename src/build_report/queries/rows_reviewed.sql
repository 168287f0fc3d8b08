-- Returns the number of corroboration, crosswalk and context rows with a second-pass review, and their IDs.
SELECT count(DISTINCT row_id) AS value, list(DISTINCT row_id ORDER BY row_id) AS ids FROM reviews
