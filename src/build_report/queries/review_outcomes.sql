-- Returns one row per reviewed table and outcome: how many rows a second-pass reviewer confirmed or corrected, and which fields.
SELECT "table", outcome, count(*) AS rows, string_agg(DISTINCT fields_changed, '; ' ORDER BY fields_changed) FILTER (WHERE fields_changed IS NOT NULL) AS fields_corrected
FROM reviews GROUP BY ALL ORDER BY "table", outcome
