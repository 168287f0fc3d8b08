-- Returns one row per other incident dataset: crosswalk rows, active incidents and tallies matched (any confidence, and high or medium), and the searches logged that name it.
WITH datasets(dataset, pattern) AS (
    VALUES ('Airwars', '(?i)airwars'), ('SNHR', '(?i)snhr|sn4hr|syrian network for human rights'),
           ('UCDP GED', '(?i)ucdp|data4ds4da'), ('VDC', '(?i)vdc|violations? documentation'), ('ACLED', '(?i)acled')
)
SELECT d.dataset,
    count(x.crosswalk_id) AS crosswalk_rows,
    count(DISTINCT x.incident_id) FILTER (WHERE i.incident_id IS NOT NULL) AS incidents_matched,
    count(DISTINCT x.incident_id) FILTER (WHERE i.incident_id IS NOT NULL AND x.match_confidence IN ('high', 'medium')) AS incidents_matched_high_or_medium,
    (SELECT count(*) FROM active_incidents) AS active_incidents,
    count(DISTINCT x.tally_id) FILTER (WHERE t.tally_id IS NOT NULL) AS tallies_matched,
    (SELECT count(*) FROM search_log s WHERE regexp_matches(s.query, d.pattern)) AS searches_naming_it
FROM datasets d
LEFT JOIN crosswalk x ON x.dataset = d.dataset
LEFT JOIN active_incidents i ON i.incident_id = x.incident_id
LEFT JOIN active_tallies t ON t.tally_id = x.tally_id
GROUP BY d.dataset, d.pattern
ORDER BY crosswalk_rows DESC, d.dataset
