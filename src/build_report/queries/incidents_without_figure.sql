-- Returns the number of active incidents whose claims give no figure for people killed, with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE killed_min IS NULL
