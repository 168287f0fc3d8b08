-- Returns the number of active tallies (aggregate statistics), with their IDs.
SELECT count(*) AS value, list(tally_id ORDER BY tally_id) AS ids FROM tallies WHERE status = 'active'
