-- Keep one upload as a pending import submission (the contributions database); returns its id.
-- Params: one per column below, named as the column.
INSERT INTO import_submissions (
    status, brand, year, file_name, stored_file, sha256, size, rows_read, rows_rejected,
    submitted_by, client, submitted_at, submitted_via
) VALUES (
    'pending', $brand, $year, $file_name, $stored_file, $sha256, $size, $rows_read,
    $rows_rejected, $submitted_by, $client, $submitted_at, $submitted_via
)
RETURNING submission_id
