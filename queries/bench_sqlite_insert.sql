-- One row into a table of the SQLite copy (bench/datasette_cmp.py, executemany): the table and
-- its columns are names from the copy's own schema, filled by riskatlas.sql.with_names; the
-- values are bound, one mark per column.
INSERT INTO {{@table}} ({{@columns}}) VALUES ({{#columns}})
