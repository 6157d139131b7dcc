-- Every column of the tables and views of the open database, in order (riskatlas.schema
-- compares them with queries/schema_*.sql).
SELECT table_name, column_name, data_type
FROM information_schema.columns
WHERE table_catalog = current_database() AND table_schema = 'main'
ORDER BY table_name, ordinal_position
