-- Returns one row per incident: the target type the claim reports.
SELECT incident_id AS id, target_type, title FROM active_incidents ORDER BY target_type, id
