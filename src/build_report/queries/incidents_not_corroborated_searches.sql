-- Returns each active incident not independently corroborated (n_sources below 2): its claims, the reports found for it by relation, and every query logged for its claims, with the day each was run.
WITH without AS (
    SELECT incident_id FROM active_incidents WHERE n_sources < 2
), found AS (
    SELECT incident_id, string_agg(relation || ' ' || confidence || ': ' || n, ', ' ORDER BY relation, confidence) AS reports_found
    FROM (SELECT incident_id, relation, confidence, count(*) AS n FROM corroborations WHERE incident_id IS NOT NULL GROUP BY ALL)
    GROUP BY incident_id
), tried AS (
    SELECT c.incident_id, count(*) AS searches,
        string_agg(s.search_id || ' (' || strftime(s.searched_on, '%Y-%m-%d') || ', ' || s.outcome || '): ' || s.query, ' | '
                   ORDER BY s.search_id) AS queries
    FROM active_claims c JOIN search_log s USING (claim_id)
    GROUP BY c.incident_id
)
SELECT w.incident_id AS id, (SELECT string_agg(claim_id, ' ' ORDER BY claim_id) FROM active_claims c WHERE c.incident_id = w.incident_id) AS claims,
    coalesce(f.reports_found, 'none') AS reports_found, coalesce(t.searches, 0) AS searches, t.queries
FROM without w LEFT JOIN found f USING (incident_id) LEFT JOIN tried t USING (incident_id)
ORDER BY w.incident_id
