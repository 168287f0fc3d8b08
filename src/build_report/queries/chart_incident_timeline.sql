-- Returns one row per incident: its date window (start, and the day after its end) and title.
SELECT incident_id AS id, date_start, date_end + 1 AS date_after_end, date_precision, title
FROM active_incidents
ORDER BY date_start, id
