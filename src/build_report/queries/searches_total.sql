-- Returns the number of searches logged for claims, with the IDs of the claims searched for.
SELECT count(*) AS value, list(DISTINCT claim_id ORDER BY claim_id) AS ids FROM search_log WHERE claim_id IS NOT NULL
