-- Returns one row per coded field: rows coded, how often the hand coding equals the rule-based coder's reading, Krippendorff's alpha (nominal fields), the decisions and the coder's error rate against reviewed decisions.
WITH pooled AS (
    SELECT tbl, field, hand_code AS v FROM coding_agreement WHERE nominal
    UNION ALL
    SELECT tbl, field, coder AS v FROM coding_agreement WHERE nominal
),
values_per_field AS (
    SELECT tbl, field, sum(n_c * n_c) AS sum_sq FROM (SELECT tbl, field, v, count(*) AS n_c FROM pooled GROUP BY ALL) GROUP BY ALL
),
per_field AS (
    SELECT tbl, field, bool_and(nominal) AS nominal, count(*) AS units, count(*) FILTER (WHERE agrees) AS agreements,
           count(*) FILTER (WHERE NOT agrees) AS disagreements, count(decision_id) AS decisions,
           count(*) FILTER (WHERE review_outcome = 'upheld') AS upheld,
           count(*) FILTER (WHERE review_outcome = 'overturned') AS overturned,
           count(*) FILTER (WHERE review_outcome = 'pending') AS pending
    FROM coding_agreement GROUP BY ALL
)
SELECT f.tbl AS "table", f.field, f.units AS rows_coded, f.agreements,
       round(100.0 * f.agreements / f.units, 1) AS percent_agreement,
       -- alpha = 1 - (n - 1) * (pairs of different values) / (n^2 - sum of squared value counts), n = 2 * rows;
       -- not defined (empty) when every value is the same
       CASE WHEN f.nominal AND (4 * f.units * f.units - v.sum_sq) > 0
            THEN round(1 - (2 * f.units - 1) * 2.0 * f.disagreements / (4 * f.units * f.units - v.sum_sq), 3) END AS alpha,
       f.decisions, f.pending AS decisions_pending, f.upheld AS decisions_upheld,
       -- an upheld decision means the coder misread the words; rates only over reviewed decisions
       CASE WHEN f.upheld + f.overturned > 0 THEN round(100.0 * f.upheld / f.units, 1) END AS coder_error_percent
FROM per_field f LEFT JOIN values_per_field v USING (tbl, field)
ORDER BY CASE f.tbl WHEN 'incidents' THEN 1 WHEN 'tallies' THEN 2 WHEN 'claims' THEN 3 ELSE 4 END, f.field
