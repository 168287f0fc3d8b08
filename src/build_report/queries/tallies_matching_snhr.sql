-- Returns the number of active tallies that an SNHR record matches with high or medium confidence, with their IDs.
SELECT count(DISTINCT t.tally_id) AS value, list(DISTINCT t.tally_id ORDER BY t.tally_id) AS ids
FROM active_tallies t JOIN crosswalk c ON c.tally_id = t.tally_id
WHERE c.dataset = 'SNHR' AND c.match_confidence IN ('high', 'medium')
