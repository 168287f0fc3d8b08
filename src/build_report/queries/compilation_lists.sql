-- Returns the number of headed lists in the compilation (the sections of its claims other than the opening prose), with the first claim of each list.
SELECT count(*) AS value, list(first_claim ORDER BY first_claim) AS ids
FROM (SELECT min(claim_id) AS first_claim FROM claims WHERE section <> 'prose' GROUP BY section)
