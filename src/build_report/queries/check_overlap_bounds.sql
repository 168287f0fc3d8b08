-- Returns each overlap group with bound_ok (a bound on shared deaths has a basis, the basis has a bound, and the basis is a report on an incident of the group or of a group within it) and nesting_ok (one level: a group within another contains no group, and a group that contains groups has no incident or tally of its own).
WITH inside AS (
    -- every incident of a group, directly or through a group within it
    SELECT i.incident_id, i.overlap_group AS grp FROM incidents i WHERE i.overlap_group IS NOT NULL
    UNION ALL
    SELECT i.incident_id, g.within_group FROM incidents i JOIN overlap_groups g ON g.overlap_group = i.overlap_group
    WHERE g.within_group IS NOT NULL
)
SELECT g.overlap_group,
    (g.max_shared_killed IS NULL) = (g.max_shared_basis IS NULL)
    AND (g.max_shared_basis IS NULL OR EXISTS (
        SELECT 1 FROM corroborations k JOIN inside n ON n.incident_id = k.incident_id
        WHERE k.corroboration_id = g.max_shared_basis AND n.grp = g.overlap_group)) AS bound_ok,
    NOT (g.within_group IS NOT NULL AND (g.within_group = g.overlap_group
         OR EXISTS (SELECT 1 FROM overlap_groups c WHERE c.within_group = g.overlap_group)
         OR EXISTS (SELECT 1 FROM overlap_groups p WHERE p.overlap_group = g.within_group AND p.within_group IS NOT NULL)))
    AND NOT (EXISTS (SELECT 1 FROM overlap_groups c WHERE c.within_group = g.overlap_group)
         AND (EXISTS (SELECT 1 FROM incidents i WHERE i.overlap_group = g.overlap_group)
              OR EXISTS (SELECT 1 FROM tallies t WHERE t.overlap_group = g.overlap_group))) AS nesting_ok
FROM overlap_groups AS g
ORDER BY g.overlap_group
