-- Returns the share of active incidents (per cent, rounded to the nearest whole number) with an independent report of high or medium confidence found by the first pass (searches made on the first day of searching), with their IDs.
SELECT CAST(round(100.0 * count(*) FILTER (WHERE has_report) / count(*)) AS INTEGER) AS value,
    list(incident_id ORDER BY incident_id) FILTER (WHERE has_report) AS ids
FROM (SELECT i.incident_id, EXISTS (SELECT 1 FROM corroborations k JOIN search_log s USING (search_id)
              WHERE k.incident_id = i.incident_id AND k.relation = 'independent' AND k.confidence IN ('high', 'medium')
                AND s.searched_on = (SELECT min(searched_on) FROM search_log)) AS has_report
      FROM active_incidents i)
