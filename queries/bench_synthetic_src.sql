-- The real sites numbered 0..n-1 in site_id order: a synthetic site copies the real site k.
CREATE TEMP TABLE src AS
SELECT (row_number() OVER (ORDER BY site_id) - 1)::INTEGER AS k, *
FROM r.sites
