-- A pending import of the same file for the same brand (the contributions database).
-- Params: $sha256, $brand.
SELECT submission_id
FROM import_submissions
WHERE sha256 = $sha256 AND brand = $brand AND status = 'pending'
