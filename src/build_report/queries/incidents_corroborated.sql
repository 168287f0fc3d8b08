-- Returns the number of active incidents graded fair (two or more independent sources), with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE grading = 'fair'
