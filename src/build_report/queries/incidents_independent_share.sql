-- Returns the share of active incidents (per cent, rounded to the nearest whole number) with at least one independent report of high or medium confidence, with the IDs of those incidents.
SELECT CAST(round(100.0 * count(*) FILTER (WHERE has_report) / count(*)) AS INTEGER) AS value,
    list(incident_id ORDER BY incident_id) FILTER (WHERE has_report) AS ids
FROM (SELECT i.incident_id, EXISTS (SELECT 1 FROM corroborations k WHERE k.incident_id = i.incident_id
              AND k.relation = 'independent' AND k.confidence IN ('high', 'medium')) AS has_report
      FROM active_incidents i)
