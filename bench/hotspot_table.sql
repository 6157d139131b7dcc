-- The app's hotspot query (queries/hotspots.sql, labour risk) written so SQLite can run it too:
-- Datasette is given the build's precomputed hotspots table as well, with an index on
-- (brand_id, mineral, labour), to compare engines on the same precomputed rows.
-- Params: $brand, $mineral (VARCHAR), $min_risk (DOUBLE), $lim (INTEGER).
SELECT site_id, name, tier, country_iso3, lat, lon, geo_precision, kind,
       labour AS score, labour_coverage AS coverage, citations, first_year, last_year
FROM hotspots
WHERE brand_id = $brand AND mineral = $mineral AND labour >= $min_risk
ORDER BY labour DESC, kind, site_id
LIMIT CAST($lim AS INTEGER)
