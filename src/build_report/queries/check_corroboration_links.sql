-- Returns each corroboration with links_ok (same incident and tally as its claim) and query_ok (same query as its search).
SELECT k.corroboration_id,
    k.incident_id IS NOT DISTINCT FROM c.incident_id AND k.tally_id IS NOT DISTINCT FROM c.tally_id AS links_ok,
    k.query IS NOT DISTINCT FROM s.query AS query_ok
FROM corroborations AS k
LEFT JOIN claims AS c USING (claim_id)
LEFT JOIN search_log AS s USING (search_id)
