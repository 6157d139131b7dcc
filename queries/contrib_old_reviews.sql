-- Whether a contributions file still has the table `reviews` of before the one review log
-- (riskatlas.contrib.store moves its rows into review_log once).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reviews'
