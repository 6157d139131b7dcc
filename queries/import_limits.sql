-- Imports waiting for review (the contributions database): how many, their bytes, and how many
-- from one client address (the limits a new submission is checked against).
-- Params: $client (VARCHAR; '' when unknown).
SELECT count(*), coalesce(sum(size), 0), count(*) FILTER (WHERE client = $client)
FROM import_submissions
WHERE status = 'pending'
