-- Copy one other table of the real atlas: whole, or its columns only (a table keyed by site,
-- whose rows would name real sites). The table is a name from r's own catalog, filled by
-- riskatlas.sql.with_names.
-- Params: $with_rows (BOOLEAN).
CREATE TABLE {{@table}} AS SELECT * FROM r.{{@table}} WHERE $with_rows
