-- Returns the number of active incidents reported with cluster munitions (the weapon as the claim states it), with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE weapon = 'cluster_munitions'
