-- Returns the number of active incidents not independently corroborated (n_sources below 2: all their sources in one independence group), with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE n_sources < 2
