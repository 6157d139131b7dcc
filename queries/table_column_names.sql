-- Column names of one table (none when it is absent): the build reads an optional source's
-- table only when it exists, and a column it lacks as NULL (sql.optional_columns).
-- Params: $table.
SELECT column_name FROM information_schema.columns WHERE table_name = $table
