-- Record a decision on one import submission (the contributions database); the audit log gets
-- its own entry (review_log_add.sql).
-- Params: $status, $by, $at (TIMESTAMP), $note, $id (INTEGER).
UPDATE import_submissions
SET status = $status, reviewed_by = $by, reviewed_at = $at, review_note = $note
WHERE submission_id = $id
