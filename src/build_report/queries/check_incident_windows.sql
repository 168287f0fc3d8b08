-- Returns each incident's date window beside the publication date of the document its claims come from.
SELECT i.incident_id, i.date_start, i.date_end, max(d.published_date) AS published_date
FROM incidents AS i
JOIN claims AS c ON c.incident_id = i.incident_id
JOIN documents AS d ON d.document_id = c.document_id
GROUP BY ALL
ORDER BY 1
