-- Returns the number of active incidents whose date window no corroborating report narrowed (they keep the compilation's window only), with their IDs.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE date_start_refined IS NULL
