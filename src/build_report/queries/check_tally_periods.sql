-- Returns each tally's period beside the publication date of the document its claims come from.
SELECT t.tally_id, t.period_start, t.period_end, max(d.published_date) AS published_date
FROM tallies AS t
JOIN claims AS c ON c.tally_id = t.tally_id
JOIN documents AS d ON d.document_id = c.document_id
GROUP BY ALL
ORDER BY 1
