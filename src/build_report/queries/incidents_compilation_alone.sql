-- Returns the number of active incidents resting on the compilation alone: no probable original, copy of one, or independent report of high or medium confidence was found for them, so the compilation's words are all the evidence held (an outlet it names was not found either), with their IDs.
SELECT count(*) AS value, list(i.incident_id ORDER BY i.incident_id) AS ids
FROM active_incidents i
WHERE NOT EXISTS (SELECT 1 FROM corroborations k WHERE k.incident_id = i.incident_id
                  AND k.relation IN ('probable_original', 'copy', 'independent') AND k.confidence IN ('high', 'medium'))
