-- Returns every active tally with its coded value, period and perpetrator as stated.
SELECT tally_id AS id, measure, value_min, value_max, value_phrase, period_start, period_end, area_as_written, alleged_perpetrator
FROM active_tallies ORDER BY tally_id
