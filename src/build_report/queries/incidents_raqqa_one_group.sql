-- Returns the number of active incidents placed in Raqqa city (PLC-0006) that share an overlap group with another of them, with their IDs.
WITH raqqa AS (
    SELECT incident_id, overlap_group FROM active_incidents WHERE place_id = 'PLC-0006' AND overlap_group IS NOT NULL
)
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM raqqa r
WHERE (SELECT count(*) FROM raqqa o WHERE o.overlap_group = r.overlap_group) > 1
