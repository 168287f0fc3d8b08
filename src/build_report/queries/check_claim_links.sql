-- Returns each claim with link_ok: its kind agrees with which of incident_id and tally_id it links to.
SELECT claim_id, kind,
    CASE kind
        WHEN 'incident_report' THEN incident_id IS NOT NULL AND tally_id IS NULL
        WHEN 'aggregate_statistic' THEN tally_id IS NOT NULL AND incident_id IS NULL
        ELSE incident_id IS NULL AND tally_id IS NULL
    END AS link_ok,
    (source_id IS NULL) = (source_basis IS NULL) AS source_basis_ok
FROM claims
