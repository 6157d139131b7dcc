-- As table_insert_frame.sql, rows written in the order of some of the table's declared columns
-- (riskatlas.schema.write with order_by; names filled by sql.with_names).
INSERT INTO {{@table}} BY NAME SELECT * FROM _schema_df ORDER BY {{@order}}
