-- Returns each active incident without an independent report of high or medium confidence: its claims, the reports found for it by relation, and every query logged for its claims.
WITH without AS (
    SELECT i.incident_id FROM active_incidents i
    WHERE NOT EXISTS (SELECT 1 FROM corroborations k WHERE k.incident_id = i.incident_id
                      AND k.relation = 'independent' AND k.confidence IN ('high', 'medium'))
), found AS (
    SELECT incident_id, string_agg(relation || ' ' || confidence || ': ' || n, ', ' ORDER BY relation, confidence) AS reports_found
    FROM (SELECT incident_id, relation, confidence, count(*) AS n FROM corroborations WHERE incident_id IS NOT NULL GROUP BY ALL)
    GROUP BY incident_id
), tried AS (
    SELECT c.incident_id, count(*) AS searches,
        string_agg(s.search_id || ' (' || s.corpus || ', ' || s.outcome || '): ' || s.query, ' | ' ORDER BY s.search_id) AS queries
    FROM active_claims c JOIN search_log s USING (claim_id)
    GROUP BY c.incident_id
)
SELECT w.incident_id AS id, (SELECT string_agg(claim_id, ' ' ORDER BY claim_id) FROM active_claims c WHERE c.incident_id = w.incident_id) AS claims,
    coalesce(f.reports_found, 'none') AS reports_found, coalesce(t.searches, 0) AS searches, t.queries
FROM without w LEFT JOIN found f USING (incident_id) LEFT JOIN tried t USING (incident_id)
ORDER BY w.incident_id
