-- Returns every logged search naming VDC or ACLED, the datasets with no crosswalk row: query, what was searched (in plain words), results and outcome.
SELECT s.search_id AS id, CASE WHEN regexp_matches(s.query, '(?i)acled') THEN 'ACLED' ELSE 'VDC' END AS dataset,
    s.query,
    -- Plain words for what was searched: the pages never name the search tools.
    CASE s.corpus WHEN 'pages' THEN 'stored public web pages' WHEN 'docs' THEN 'stored documentation pages'
        WHEN 'issues' THEN 'stored issue threads' ELSE 'stored public code repositories' END AS searched,
    s.n_results, s.outcome
FROM search_log s
WHERE (regexp_matches(s.query, '(?i)acled') AND NOT EXISTS (SELECT 1 FROM crosswalk WHERE dataset = 'ACLED'))
   OR (regexp_matches(s.query, '(?i)vdc|violations? documentation') AND NOT EXISTS (SELECT 1 FROM crosswalk WHERE dataset = 'VDC'))
ORDER BY dataset, s.search_id
