-- Returns one row per coding decision: the row and field, the hand and coder values, the reason, and its review.
SELECT decision_id, coalesce(incident_id, tally_id, claim_id, place_id) AS row_id, field, hand_value, coder_value, reason,
       review_outcome, reviewer, reviewed_on
FROM coding_decisions ORDER BY decision_id
