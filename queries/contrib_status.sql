-- The review state of one contribution (the contributions database), before a decision.
-- Params: $id (INTEGER).
SELECT status, reviewed_by, reviewed_at FROM contributions WHERE contribution_id = $id
