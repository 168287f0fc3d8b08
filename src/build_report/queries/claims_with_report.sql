-- Returns the number of active claims with at least one probable original or independent report of high or medium confidence, with their IDs.
SELECT count(*) AS value, list(claim_id ORDER BY claim_id) AS ids
FROM active_claims c
WHERE EXISTS (
    SELECT 1 FROM corroborations k WHERE k.claim_id = c.claim_id
      AND k.relation IN ('probable_original', 'independent') AND k.confidence IN ('high', 'medium'))
