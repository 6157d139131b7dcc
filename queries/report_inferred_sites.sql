-- Inferred source sites for one brand: routes the data suggests, no disclosure names them.
-- Parameters: $brand_id, $minerals
SELECT s.site_id, s.name, s.tier, s.country_iso3, s.lat, s.lon, s.geo_precision,
       e.mineral,
       string_agg(DISTINCT e.route, ', ' ORDER BY e.route) AS routes,
       any_value(e.explanation ORDER BY e.route) AS explanation,
       string_agg(DISTINCT e.source_id || ': ' || e.source_ref, '; ' ORDER BY e.source_id || ': ' || e.source_ref) AS citations,
       r.labour, r.environment, r.labour_coverage, r.environment_coverage
FROM inferred_exposure e
JOIN sites s USING (site_id)
LEFT JOIN site_risk r USING (site_id)
WHERE e.brand_id = $brand_id
  AND (len($minerals) = 0 OR list_contains($minerals, e.mineral))
GROUP BY ALL
ORDER BY r.labour DESC NULLS LAST, s.site_id, e.mineral
