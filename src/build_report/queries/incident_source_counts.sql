-- Returns one row per incident: the number of independent sources (distinct independence groups) behind its active claims.
SELECT
    i.incident_id,
    count(DISTINCT s.independence_group) AS n_sources
FROM incidents AS i
JOIN claims AS c ON c.incident_id = i.incident_id AND c.status = 'active'
-- A claim that names no outlet rests on the compilation itself.
JOIN sources AS s ON s.source_id = coalesce(c.source_id, (SELECT min(source_id) FROM sources WHERE source_type = 'compilation'))
GROUP BY i.incident_id
ORDER BY i.incident_id
