-- Rows and the sum of the row hashes of one table (bench/cache.py's content fingerprint); the
-- table name is bound as a value through query_table.
-- Params: $table.
SELECT count(*), sum(hash(x)) FROM query_table($table) x
