-- Returns one row per incident: independent sources behind it (distinct independence groups of its claims' sources and of independent reports) and conflicting reports.
WITH compilation AS (
    SELECT min(source_id) AS source_id FROM sources WHERE source_type = 'compilation'
), originals AS (
    -- A claim's probable original replaces the compilation as that claim's source: the compilation only relayed it.
    SELECT claim_id, min(coalesce(relies_on_source_id, source_id)) AS source_id
    FROM corroborations
    WHERE relation = 'probable_original' AND confidence IN ('high', 'medium')
    GROUP BY claim_id
), incident_originals AS (
    -- Once one claim of an incident has its original, the compilation's wording of the incident's other
    -- claims may come from the same original, so the compilation is not counted for them either.
    SELECT c.incident_id, min(o.source_id) AS source_id
    FROM active_claims AS c JOIN originals AS o USING (claim_id)
    GROUP BY c.incident_id
), claim_sources AS (
    -- A claim resting on the compilation (no outlet named, or an outlet in the compilation's own group) counts
    -- its original, else the incident's original, else the compilation.
    SELECT c.incident_id,
        CASE WHEN s.source_id IS NULL OR s.independence_group = (SELECT source_id FROM compilation)
             THEN coalesce(o.source_id, io.source_id, c.source_id, (SELECT source_id FROM compilation))
             ELSE c.source_id END AS source_id
    FROM active_claims AS c LEFT JOIN sources AS s USING (source_id)
    LEFT JOIN originals AS o USING (claim_id) LEFT JOIN incident_originals AS io USING (incident_id)
    WHERE c.incident_id IS NOT NULL
), report_sources AS (
    -- Reports relying on the same monitor or agency count once, through relies_on_source_id.
    SELECT incident_id, coalesce(relies_on_source_id, source_id) AS source_id
    FROM corroborations
    WHERE incident_id IS NOT NULL AND relation = 'independent' AND confidence IN ('high', 'medium')
), every_source AS (
    SELECT * FROM claim_sources UNION ALL SELECT * FROM report_sources
)
SELECT
    i.incident_id,
    count(DISTINCT s.independence_group) FILTER (WHERE s.source_type <> 'aggregator') AS n_sources,
    (SELECT count(*) FROM corroborations AS k
     WHERE k.incident_id = i.incident_id AND k.relation = 'conflicting' AND k.confidence IN ('high', 'medium')
       AND (k.reasons LIKE '%different_perpetrator%' OR k.reasons LIKE '%different_place%')) AS n_conflicting
FROM incidents AS i
LEFT JOIN every_source AS e USING (incident_id)
LEFT JOIN sources AS s ON s.source_id = e.source_id
GROUP BY i.incident_id
ORDER BY i.incident_id
