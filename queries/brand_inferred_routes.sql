-- Inferred routes for the Sankey: which refiner country leads to which mined site (distinct).
-- Params: $brands, $minerals (VARCHAR[]), $year (INTEGER or NULL).
SELECT DISTINCT
    e.brand_id, b.name AS brand_name, e.site_id, e.route, e.via_site_id,
    v.country_iso3 AS via_site_country
FROM inferred_exposure e
JOIN brands b ON b.brand_id = e.brand_id
LEFT JOIN sites v ON v.site_id = e.via_site_id
WHERE list_contains($brands::VARCHAR[], e.brand_id)
  AND (len($minerals::VARCHAR[]) = 0 OR list_contains($minerals::VARCHAR[], e.mineral))
  AND ($year::INTEGER IS NULL OR e.via_site_id IS NULL OR EXISTS (
        SELECT 1 FROM links l
        WHERE l.brand_id = e.brand_id AND l.site_id = e.via_site_id AND l.year = $year::INTEGER))
ORDER BY e.brand_id, e.site_id, e.route, via_site_country
