-- Returns the number of active incidents whose date window (refined where corroboration narrowed it, else the compilation's) lies within one calendar month, with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents
WHERE date_trunc('month', coalesce(date_start_refined, date_start)) = date_trunc('month', coalesce(date_end_refined, date_end))
