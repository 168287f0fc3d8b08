-- Returns the number of active tallies (aggregate statistics), with their IDs.
SELECT count(*) AS value, list(tally_id ORDER BY tally_id) AS ids FROM active_tallies
