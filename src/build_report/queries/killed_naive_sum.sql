-- Returns the naive sum of people reported killed over incidents that give a figure (min and, if every row has one, max), with their IDs.
SELECT sum(killed_min) AS value_min,
    CASE WHEN count(killed_max) = count(*) THEN sum(killed_max) END AS value_max,
    list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE killed_min IS NOT NULL
