-- Returns the conservative total of people reported killed: an overlap group counts once, by its largest minimum, unless it states the most its members can share (max_shared_killed), when it counts the sum of its members less that bound (never less than its largest member); groups within a wider group are its members. IDs are the rows counted.
WITH members AS (
    -- first level: incidents in their own group
    SELECT i.overlap_group AS grp, i.killed_min AS v, [i.incident_id] AS ids, i.incident_id AS first_id
    FROM active_incidents i WHERE i.killed_min IS NOT NULL AND i.overlap_group IS NOT NULL
), counted AS (
    SELECT m.grp, g.within_group,
        CASE WHEN g.max_shared_killed IS NULL THEN max(m.v)
             ELSE greatest(sum(m.v) - g.max_shared_killed, max(m.v)) END AS v,
        -- unbounded: the largest member (ties to the lowest ID, so the choice is stable); bounded: every member
        CASE WHEN g.max_shared_killed IS NULL THEN list(m.ids ORDER BY m.v DESC, m.first_id)[1]
             ELSE flatten(list(m.ids)) END AS ids,
        min(m.first_id) AS first_id
    FROM members m JOIN overlap_groups g ON g.overlap_group = m.grp
    GROUP BY m.grp, g.within_group, g.max_shared_killed
), wider AS (
    -- second level: groups within a wider group are its members (the gate allows one level)
    SELECT c.within_group AS grp,
        CASE WHEN g.max_shared_killed IS NULL THEN max(c.v)
             ELSE greatest(sum(c.v) - g.max_shared_killed, max(c.v)) END AS v,
        CASE WHEN g.max_shared_killed IS NULL THEN list(c.ids ORDER BY c.v DESC, c.first_id)[1]
             ELSE flatten(list(c.ids)) END AS ids
    FROM counted c JOIN overlap_groups g ON g.overlap_group = c.within_group
    GROUP BY c.within_group, g.max_shared_killed
), units AS (
    SELECT v, ids FROM counted WHERE within_group IS NULL
    UNION ALL SELECT v, ids FROM wider
    UNION ALL SELECT killed_min, [incident_id] FROM active_incidents WHERE killed_min IS NOT NULL AND overlap_group IS NULL
)
SELECT sum(v) AS value_min, NULL::BIGINT AS value_max, list_sort(flatten(list(ids))) AS ids FROM units
