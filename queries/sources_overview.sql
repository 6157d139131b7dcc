-- Every source with publisher, licence, data date and the rows read, loaded and rejected.
SELECT source_id, title, publisher, licence, data_date, rows_in, rows_loaded, rows_rejected, url
FROM sources
ORDER BY source_id
