-- Returns every conflicting report with what it conflicts on, its claim and incident or tally.
SELECT k.corroboration_id AS id, coalesce(k.incident_id, k.tally_id, k.claim_id) AS concerns, s.name AS publisher, k.url,
    replace(k.reasons, ';', ', ') AS reasons, k.killed_min, k.killed_max, k.confidence
FROM corroborations k JOIN sources s USING (source_id)
WHERE k.relation = 'conflicting'
ORDER BY k.corroboration_id
