-- Returns the number of active claims searched for with no report recorded at all, with their IDs.
SELECT count(*) AS value, list(claim_id ORDER BY claim_id) AS ids
FROM active_claims c
WHERE EXISTS (SELECT 1 FROM search_log s WHERE s.claim_id = c.claim_id)
  AND NOT EXISTS (SELECT 1 FROM corroborations k WHERE k.claim_id = c.claim_id)
