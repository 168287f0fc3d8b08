-- Returns the number of active incidents independently corroborated (n_sources of 2 or more: the sources behind the incident fall into two or more independence groups), with their IDs.
-- The one definition: n_sources is derived by incident_source_counts; grading is fair, or contested when a report names another perpetrator or place.
SELECT count(*) AS value, list(incident_id ORDER BY incident_id) AS ids
FROM active_incidents WHERE n_sources >= 2
