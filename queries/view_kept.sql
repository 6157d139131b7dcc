-- The Map's view after the minimum risk (included by the view_* queries, never run alone): rows
-- whose chosen score is at least $min_risk; an unknown score is left out (and counted by
-- view_counts), never treated as low. Params: those of view_scored, $min_risk (DOUBLE or NULL).
SELECT * FROM {{view_scored}} AS v
WHERE $min_risk::DOUBLE IS NULL OR v.score >= $min_risk::DOUBLE
