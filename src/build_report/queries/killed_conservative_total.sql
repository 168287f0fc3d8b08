-- Returns the conservative total of people reported killed: each overlap group counted once by its largest minimum; IDs are the rows counted.
WITH counted AS (
    SELECT coalesce(overlap_group, incident_id) AS grp, killed_min, incident_id
    FROM active_incidents WHERE killed_min IS NOT NULL
), ranked AS (
    -- Ties go to the lowest ID so the choice is stable.
    SELECT *, row_number() OVER (PARTITION BY grp ORDER BY killed_min DESC, incident_id) AS rank FROM counted
)
SELECT sum(killed_min) AS value_min, NULL::BIGINT AS value_max, list(incident_id ORDER BY incident_id) AS ids
FROM ranked WHERE rank = 1
