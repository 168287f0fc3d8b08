-- Returns one row per incident and tally: the perpetrator as the claim states it.
SELECT incident_id AS id, 'incident' AS row_type, alleged_perpetrator, title FROM active_incidents
UNION ALL
SELECT tally_id, 'tally', alleged_perpetrator, measure || ': ' || value_phrase FROM active_tallies
ORDER BY alleged_perpetrator, id
