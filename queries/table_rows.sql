-- Rows in one table (sql.optional_columns, when the table has none of the wanted columns).
-- Params: $table.
SELECT count(*) FROM query_table($table)
