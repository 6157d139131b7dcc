-- Import submissions waiting for review or reviewed (the contributions database; never the
-- atlas), oldest first: all of them, or those of one status.
-- Params: $status (VARCHAR or NULL = every status).
SELECT submission_id, status, brand, year, file_name, stored_file, sha256, size, rows_read,
       rows_rejected, submitted_by, client, submitted_at, submitted_via, reviewed_by,
       reviewed_at, review_note
FROM import_submissions
WHERE $status::VARCHAR IS NULL OR status = $status::VARCHAR
ORDER BY submission_id
