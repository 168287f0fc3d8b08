-- Returns the number of active incidents graded single_source, with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE grading = 'single_source'
