-- Returns one row per claim: its kind, the outlet it names (or none) and its quote.
SELECT c.claim_id AS id, c.kind, coalesce(s.name, 'no outlet named') AS outlet, c.quote AS title
FROM active_claims c LEFT JOIN sources s USING (source_id)
ORDER BY c.kind, id
