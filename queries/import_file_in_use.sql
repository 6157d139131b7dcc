-- Pending submissions that keep a stored file (the contributions database): a failed submit
-- removes its file only when none does.
-- Params: $stored_file.
SELECT count(*) FROM import_submissions WHERE stored_file = $stored_file AND status = 'pending'
