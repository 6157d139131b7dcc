-- Every source with its publisher, licence and data date (for citations and methods).
SELECT source_id, title, publisher, url, licence, data_date, rows_in, rows_loaded, rows_rejected
FROM sources
ORDER BY source_id
