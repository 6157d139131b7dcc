-- The tables of the SQLite copy (bench_sqlite_schema.sql), in the order declared.
SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid
