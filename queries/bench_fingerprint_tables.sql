-- The tables whose content identifies an atlas for the bench's input cache (bench/cache.py):
-- all but the build's and the generator's own notes, which differ from run to run.
SELECT table_name
FROM duckdb_tables()
WHERE table_name NOT IN ('build_info', 'synthetic_info')
ORDER BY table_name
