-- Tables present in the atlas database (optional tables are checked before use).
SELECT table_name FROM duckdb_tables() ORDER BY table_name
