-- Some columns of one table, every row (sql.optional_columns: a column the table lacks is added
-- as NULL in Python). A table name is bound as a value through query_table, never spliced.
-- Params: $table, $cols (VARCHAR[], the columns the table has).
SELECT COLUMNS(lambda c: list_contains($cols, c)) FROM query_table($table)
