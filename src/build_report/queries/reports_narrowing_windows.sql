-- Returns the number of corroborating reports (corroborations rows) whose event date narrowed an active incident's date window (probable original or independent, high or medium confidence, inside the compilation's window), with their IDs.
SELECT count(*) AS value, list(k.corroboration_id ORDER BY k.corroboration_id) AS ids
FROM active_incidents i JOIN corroborations k USING (incident_id)
WHERE i.date_start_refined IS NOT NULL
    AND k.relation IN ('probable_original', 'independent') AND k.confidence IN ('high', 'medium')
    AND k.event_date_start >= i.date_start AND k.event_date_end <= i.date_end
