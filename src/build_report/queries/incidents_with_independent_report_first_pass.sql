-- Returns the number of active incidents with an independent report of high or medium confidence found by the first pass (searches made on the first day of searching), with their IDs.
SELECT count(*) AS value, list(i.incident_id ORDER BY i.incident_id) AS ids
FROM active_incidents i
WHERE EXISTS (SELECT 1 FROM corroborations k JOIN search_log s USING (search_id)
              WHERE k.incident_id = i.incident_id AND k.relation = 'independent' AND k.confidence IN ('high', 'medium')
                AND s.searched_on = (SELECT min(searched_on) FROM search_log))
