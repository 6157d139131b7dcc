-- The hotspot query: the sites behind a brand and a mineral at or above a minimum risk, ranked
-- highest first (documented before inferred on a tie, never merged), each with its citations.
-- A filtered read of the precomputed `hotspots` table, sorted by brand and mineral at build.
-- Params: $brand, $mineral (VARCHAR), $dimension ('labour' | 'environment'), $min_risk (DOUBLE),
-- $limit (INTEGER or NULL = all).
SELECT site_id, name, tier, country_iso3, lat, lon, geo_precision, kind,
       CASE WHEN $dimension = 'environment' THEN environment ELSE labour END AS score,
       CASE WHEN $dimension = 'environment' THEN environment_coverage ELSE labour_coverage END
           AS coverage,
       citations, first_year, last_year
FROM hotspots
WHERE brand_id = $brand AND mineral = $mineral
  AND (CASE WHEN $dimension = 'environment' THEN environment ELSE labour END) >= $min_risk::DOUBLE
ORDER BY score DESC, CASE kind WHEN 'documented' THEN 0 ELSE 1 END, site_id
LIMIT $limit::BIGINT
