-- Returns the naive sum of killed where the claim explicitly describes the dead as civilians (or children, women, worshippers), with the IDs.
SELECT sum(killed_min) AS value_min,
    CASE WHEN count(killed_max) = count(*) THEN sum(killed_max) END AS value_max,
    list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents
WHERE killed_min IS NOT NULL AND killed_described_as <> 'people'
