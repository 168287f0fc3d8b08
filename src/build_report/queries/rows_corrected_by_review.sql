-- Returns the number of rows a second-pass review corrected, and their IDs.
SELECT count(DISTINCT row_id) AS value, list(DISTINCT row_id ORDER BY row_id) AS ids FROM reviews WHERE outcome = 'corrected'
