-- The columns of one table of the SQLite copy, in order.
-- Params: $table.
SELECT name FROM pragma_table_info($table) ORDER BY cid
