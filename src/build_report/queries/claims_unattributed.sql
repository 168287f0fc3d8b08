-- Returns the number of active claims for which the compilation names no outlet, with their IDs.
SELECT count(*) AS value, list(claim_id ORDER BY claim_id) AS ids FROM active_claims WHERE source_id IS NULL
