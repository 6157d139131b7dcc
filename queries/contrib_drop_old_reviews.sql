-- Drop the old `reviews` table once its rows are in review_log (contrib_migrate_reviews.sql).
DROP TABLE reviews
