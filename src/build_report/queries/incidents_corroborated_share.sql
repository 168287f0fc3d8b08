-- Returns the share of active incidents (per cent, rounded to the nearest whole number) independently corroborated (n_sources of 2 or more), with the IDs of those incidents.
SELECT CAST(round(100.0 * count(*) FILTER (WHERE n_sources >= 2) / count(*)) AS INTEGER) AS value,
    list(incident_id ORDER BY incident_id) FILTER (WHERE n_sources >= 2) AS ids
FROM active_incidents
