-- Returns the number of active claims searched for with no report recorded at all, with their IDs.
SELECT count(*) AS value, list(claim_id ORDER BY claim_id) AS ids
FROM claims c
WHERE status = 'active'
  AND EXISTS (SELECT 1 FROM search_log s WHERE s.claim_id = c.claim_id)
  AND NOT EXISTS (SELECT 1 FROM corroborations k WHERE k.claim_id = c.claim_id)
