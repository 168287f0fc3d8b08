-- Returns the number of active incidents graded contested (a report names another perpetrator or place), with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE grading = 'contested'
