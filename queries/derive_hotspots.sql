-- Build step: the hotspot table, one row per brand x mineral x site x kind (documented and
-- inferred never merged) with the site's scores and every citation behind the row, sorted by
-- brand, mineral and labour risk, so the hotspot query is a filtered read of one sorted slice.
INSERT INTO hotspots BY NAME
SELECT brand_id, any_value(brand_name) AS brand_name, mineral, kind, site_id,
       any_value(name) AS name, any_value(tier) AS tier,
       any_value(country_iso3) AS country_iso3, any_value(country_name) AS country_name,
       any_value(lat) AS lat, any_value(lon) AS lon, any_value(geo_precision) AS geo_precision,
       any_value(labour) AS labour, any_value(environment) AS environment,
       any_value(labour_coverage) AS labour_coverage,
       any_value(environment_coverage) AS environment_coverage,
       string_agg(DISTINCT source_id || ': ' || source_ref, '; '
                  ORDER BY source_id || ': ' || source_ref) AS citations,
       min(year) AS first_year, max(year) AS last_year
FROM brand_hits
WHERE mineral IS NOT NULL
GROUP BY brand_id, mineral, kind, site_id
ORDER BY brand_id, mineral, labour DESC NULLS LAST, kind, site_id
