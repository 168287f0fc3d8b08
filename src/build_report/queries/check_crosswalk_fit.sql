-- Returns each crosswalk row with its date fit and toll fit against our incident or tally, and whether its reasons agree with them (reasons_ok).
-- Date fit: same_day (the record's date is our one-day window), inside_window, outside_window, not_dated.
-- Toll fit: same (equal ranges), compatible (the ranges meet), different (they do not), not_comparable (a figure missing).
-- Reasons must state a decided verdict (same_date for same_day, different_date for outside_window, same_figures for
-- same, different_figures for different) and never contradict one (same_date outside the window, different_figures
-- for figures that meet).
WITH ours AS (
    SELECT x.crosswalk_id, x.reasons, x.external_date, x.civilians_min, x.civilians_max,
        coalesce(i.date_start_refined, i.date_start, t.period_start) AS window_start,
        coalesce(i.date_end_refined, i.date_end, t.period_end) AS window_end,
        coalesce(i.killed_min, t.value_min) AS killed_min,
        -- an open range ("at least 12") has no upper end
        CASE WHEN i.incident_id IS NOT NULL THEN i.killed_max ELSE t.value_max END AS killed_max
    FROM crosswalk x
    LEFT JOIN incidents i USING (incident_id)
    LEFT JOIN tallies t USING (tally_id)
), fit AS (
    SELECT *,
        CASE WHEN external_date IS NULL OR window_start IS NULL THEN 'not_dated'
             WHEN external_date < window_start OR external_date > window_end THEN 'outside_window'
             WHEN window_start = window_end THEN 'same_day'
             ELSE 'inside_window' END AS date_fit,
        CASE WHEN civilians_min IS NULL OR killed_min IS NULL THEN 'not_comparable'
             WHEN civilians_min = killed_min AND coalesce(civilians_max, -1) = coalesce(killed_max, -1) THEN 'same'
             WHEN coalesce(civilians_max, civilians_min) >= killed_min
                  AND (killed_max IS NULL OR civilians_min <= killed_max) THEN 'compatible'
             ELSE 'different' END AS toll_fit,
        string_split(coalesce(reasons, ''), ';') AS said
    FROM ours
)
SELECT crosswalk_id, date_fit, toll_fit,
    NOT ((date_fit = 'same_day' AND NOT list_contains(said, 'same_date'))
      OR (date_fit = 'outside_window' AND NOT list_contains(said, 'different_date'))
      OR (date_fit IN ('same_day', 'inside_window') AND list_contains(said, 'different_date'))
      OR (date_fit = 'outside_window' AND list_contains(said, 'same_date'))
      OR (toll_fit = 'same' AND NOT list_contains(said, 'same_figures'))
      OR (toll_fit = 'different' AND NOT list_contains(said, 'different_figures'))
      OR (toll_fit IN ('same', 'compatible') AND list_contains(said, 'different_figures'))
      OR (toll_fit IN ('different', 'compatible') AND list_contains(said, 'same_figures'))) AS reasons_ok
FROM fit
ORDER BY crosswalk_id
