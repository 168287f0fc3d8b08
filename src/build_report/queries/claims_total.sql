-- Returns the number of active claims, with their IDs.
SELECT count(*) AS value, list(claim_id ORDER BY claim_id) AS ids FROM active_claims
