-- Documented sites per brand (for the Sankey's brand -> listed-site-country flows).
-- Params: $brands, $minerals (VARCHAR[]), $year (INTEGER or NULL).
SELECT DISTINCT l.brand_id, b.name AS brand_name, l.site_id
FROM links l JOIN brands b ON b.brand_id = l.brand_id
WHERE list_contains($brands::VARCHAR[], l.brand_id)
  AND (len($minerals::VARCHAR[]) = 0 OR list_contains($minerals::VARCHAR[], l.mineral))
  AND ($year::INTEGER IS NULL OR l.year = $year::INTEGER)
ORDER BY l.brand_id, l.site_id
