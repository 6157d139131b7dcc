-- The tables of the attached real atlas r.
SELECT table_name FROM duckdb_tables() WHERE database_name = 'r'
