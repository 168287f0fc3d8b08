-- Returns each corroboration with independent_ok (a report marked independent, of high or medium confidence, relies through the source it names or copies, relies_on_source_id, neither on the compilation nor on a probable original of the same incident or tally, nor on the outlet the compilation names for it) and copy_ok (a report marked copy relies on the group of a probable original or of the named outlet).
WITH grouped AS (
    SELECT k.corroboration_id, k.incident_id, k.tally_id, k.relation, k.confidence, s.independence_group AS grp
    FROM corroborations k JOIN sources s ON s.source_id = coalesce(k.relies_on_source_id, k.source_id)
), originals AS (
    -- the chain each claim came through: its probable original, and the outlet the compilation names for it
    SELECT coalesce(incident_id, tally_id) AS row_id, grp FROM grouped
    WHERE relation = 'probable_original' AND confidence IN ('high', 'medium')
    UNION
    SELECT coalesce(c.incident_id, c.tally_id), s.independence_group
    FROM claims c JOIN sources s USING (source_id) WHERE c.status = 'active'
)
SELECT g.corroboration_id,
    NOT (g.relation = 'independent' AND g.confidence IN ('high', 'medium')
         AND (g.grp IN (SELECT independence_group FROM sources WHERE source_type = 'compilation')
              OR EXISTS (SELECT 1 FROM originals o WHERE o.row_id = coalesce(g.incident_id, g.tally_id) AND o.grp = g.grp))) AS independent_ok,
    g.relation <> 'copy'
        OR EXISTS (SELECT 1 FROM originals o WHERE o.row_id = coalesce(g.incident_id, g.tally_id) AND o.grp = g.grp) AS copy_ok
FROM grouped g
ORDER BY g.corroboration_id
