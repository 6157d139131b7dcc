-- Tables and views in the database being built (optional tables are checked before use).
SELECT table_name FROM information_schema.tables
