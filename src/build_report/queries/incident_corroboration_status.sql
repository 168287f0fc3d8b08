-- Returns each active incident's corroboration status under the one definition (independently corroborated: n_sources of 2 or more), what it rests on, the publishers of its independent reports, and its caveats.
WITH reports AS (
    SELECT k.incident_id, k.relation, k.confidence, k.corroboration_id, s.name AS publisher
    FROM corroborations k JOIN sources s USING (source_id)
    WHERE k.incident_id IS NOT NULL AND k.confidence IN ('high', 'medium')
)
SELECT i.incident_id AS id, i.title, i.n_sources AS independence_groups, i.grading,
    CASE WHEN i.n_sources >= 2 THEN 'independently corroborated'
         WHEN NOT EXISTS (SELECT 1 FROM reports r WHERE r.incident_id = i.incident_id
                          AND r.relation IN ('probable_original', 'copy', 'independent')) THEN 'the compilation alone'
         ELSE 'one source: its original or the outlet named, no independent report' END AS status,
    (SELECT string_agg(DISTINCT r.publisher, '; ' ORDER BY r.publisher) FROM reports r
     WHERE r.incident_id = i.incident_id AND r.relation = 'independent') AS independent_reports,
    concat_ws('; ',
        CASE WHEN i.grading = 'contested' THEN 'a report names another perpetrator or place' END,
        CASE WHEN EXISTS (SELECT 1 FROM reports r WHERE r.incident_id = i.incident_id AND r.relation = 'copy')
             THEN 'copies of its original found, not counted' END,
        CASE WHEN i.overlap_group IS NOT NULL THEN 'may share deaths with ' || i.overlap_group || ' members' END) AS caveats
FROM active_incidents i
ORDER BY i.incident_id
