-- Returns the number of Airwars records crosswalked to an active incident or tally with high or medium confidence, with the crosswalk IDs.
SELECT count(*) AS value, list(crosswalk_id ORDER BY crosswalk_id) AS ids
FROM crosswalk c
WHERE c.dataset = 'Airwars' AND c.match_confidence IN ('high', 'medium')
  AND (c.incident_id IN (SELECT incident_id FROM active_incidents) OR c.tally_id IN (SELECT tally_id FROM active_tallies))
