-- Insert the registered frame _schema_df into a declared table by column name
-- (riskatlas.schema.write). The table is a name from queries/schema_*.sql, filled by
-- sql.with_names; values are the frame's, cast to the declared types by the insert.
INSERT INTO {{@table}} BY NAME SELECT * FROM _schema_df
