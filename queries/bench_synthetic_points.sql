-- The real sites' points, in the numbering of bench_synthetic_src.sql (the generator draws
-- jittered copies of them).
SELECT lat, lon, geo_precision FROM src ORDER BY k
