-- Returns each systematic tracker's monthly total beside the compilation's own tallies for the same month.
SELECT c.tracker, c.url, c.period_start, c.period_end, c.measure, c.value_min, c.value_max,
    (SELECT string_agg(t.tally_id || ': ' || t.value_phrase, '; ' ORDER BY t.tally_id) FROM active_tallies t
     WHERE t.period_start = c.period_start AND t.period_end = c.period_end) AS compilation_tallies
FROM context_totals c
ORDER BY c.period_start, c.tracker
