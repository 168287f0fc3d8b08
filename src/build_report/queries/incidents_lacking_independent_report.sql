-- Returns the number of active incidents with no independent report of high or medium confidence, with their IDs.
SELECT count(*) AS value, list(i.incident_id ORDER BY i.incident_id) AS ids
FROM active_incidents i
WHERE NOT EXISTS (SELECT 1 FROM corroborations k WHERE k.incident_id = i.incident_id
                  AND k.relation = 'independent' AND k.confidence IN ('high', 'medium'))
