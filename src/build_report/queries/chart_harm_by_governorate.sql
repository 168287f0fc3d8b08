-- Returns one row per incident with a killed figure: its governorate (by name), minimum reported killed and claim wording.
SELECT i.incident_id AS id, coalesce(g.name, 'not stated') AS governorate, i.killed_min, i.killed_max,
    i.killed_phrase AS phrase, i.title
FROM active_incidents i JOIN places p USING (place_id) LEFT JOIN governorates g ON g.code = p.admin1_code
WHERE i.killed_min IS NOT NULL
ORDER BY governorate, id
