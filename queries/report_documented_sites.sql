-- Documented sites of one brand (its own disclosure names them), ranked by labour risk.
-- Parameters: $brand_id, $year, $minerals
SELECT s.site_id, s.name, s.tier, s.country_iso3, s.lat, s.lon, s.geo_precision,
       list_sort(list_distinct(list(l.mineral) FILTER (WHERE l.mineral IS NOT NULL))) AS minerals,
       string_agg(DISTINCT l.source_id || ': ' || l.source_ref, '; ' ORDER BY l.source_id || ': ' || l.source_ref) AS citations,
       min(l.year) AS first_year, max(l.year) AS last_year,
       any_value(l.status_as_reported) AS status_as_reported,
       r.labour, r.environment, r.labour_coverage, r.environment_coverage
FROM links l
JOIN sites s USING (site_id)
LEFT JOIN site_risk r USING (site_id)
WHERE l.brand_id = $brand_id
  AND ($year IS NULL OR l.year = $year)
  AND (len($minerals) = 0 OR l.mineral IS NULL OR list_contains($minerals, l.mineral))
GROUP BY ALL
ORDER BY r.labour DESC NULLS LAST, s.site_id
