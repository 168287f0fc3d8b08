-- Returns one row per bar segment of the context chart: each active incident in the month its (refined, else the compilation's) window falls in, or "window spans two months", counted once; and each systematic tracker's total (context_totals row) for its period, people reported killed.
WITH w AS (
    SELECT incident_id, title, coalesce(date_start_refined, date_start) AS d0, coalesce(date_end_refined, date_end) AS d1,
        date_trunc('month', coalesce(date_start_refined, date_start)) = date_trunc('month', coalesce(date_end_refined, date_end)) AS one_month
    FROM active_incidents
)
SELECT incident_id AS id, 'incidents in the compilation' AS panel,
    CASE WHEN one_month THEN strftime(d0, '%B %Y') ELSE 'window spans two months' END AS period,
    CASE WHEN one_month THEN strftime(d0, '%b %Y') ELSE 'two months' END AS period_short,
    CASE WHEN one_month THEN CAST(date_trunc('month', d0) AS DATE) ELSE DATE '2100-01-01' END AS period_order,
    'the compilation' AS series, 1 AS value_min, 1 AS value_max,
    title, strftime(d0, '%Y-%m-%d') || ' to ' || strftime(d1, '%Y-%m-%d') AS detail
FROM w
UNION ALL
SELECT context_id, 'people reported killed, systematic trackers',
    CASE WHEN period_start = date_trunc('month', period_start) AND period_end = last_day(period_start)
         THEN strftime(period_start, '%B %Y')
         ELSE strftime(period_start, '%-d %b %Y') || ' to ' || strftime(period_end, '%-d %b %Y') END,
    CASE WHEN period_start = date_trunc('month', period_start) AND period_end = last_day(period_start)
         THEN strftime(period_start, '%b %Y')
         ELSE strftime(period_start, '%-d %b') || '–' || strftime(period_end, '%-d %b %Y') END,
    period_start, tracker, value_min, value_max, measure,
    CASE WHEN value_max IS NULL THEN 'at least ' || value_min WHEN value_max = value_min THEN CAST(value_min AS VARCHAR)
         ELSE value_min || ' to ' || value_max END
FROM context_totals
ORDER BY panel, period_order, id
