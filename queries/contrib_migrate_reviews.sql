-- Move the rows of an old `reviews` table into the one review log (once, then the table is
-- dropped by contrib_drop_old_reviews.sql and `reviews` becomes a view: schema_contrib.sql).
INSERT INTO review_log
SELECT 'contribution', contribution_id, status, previous_status, reviewed_by, reviewed_at,
       review_note
FROM reviews
