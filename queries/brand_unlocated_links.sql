-- Links of the chosen brands whose site is not in the atlas (they cannot be mapped; counted).
-- Params: $brands, $minerals (VARCHAR[]), $year (INTEGER or NULL).
SELECT count(*) AS n
FROM unplaced_links l
WHERE list_contains($brands::VARCHAR[], l.brand_id)
  AND (len($minerals::VARCHAR[]) = 0 OR list_contains($minerals::VARCHAR[], l.mineral))
  AND ($year::INTEGER IS NULL OR l.year = $year::INTEGER)
