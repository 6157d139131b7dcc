-- The brand rows of the Map's view (included by view_rows_brands and view_sankey, never run
-- alone): the brand_hits rows of the chosen brands, minerals, tiers and countries; with a year, documented
-- links of that year and inferred routes resting on a list of that year (through a refiner the
-- brand listed that year, or, for the goods-list route, any smelter of the mineral listed that
-- year; routes whose lists carry no year are kept); the provinces and findings as in
-- view_rows_sites.
-- Params: $brands, $minerals, $tiers, $countries (VARCHAR[]), $year (INTEGER or NULL),
-- $provinces (VARCHAR[]), $finding_mask (INTEGER), $finding_any (BOOLEAN).
-- $evidence ('site' = only sites with site-level evidence, or NULL).
SELECT *
FROM brand_hits h
WHERE list_contains($brands::VARCHAR[], h.brand_id)
  AND (len($minerals::VARCHAR[]) = 0 OR list_contains($minerals::VARCHAR[], h.mineral))
  AND ($year::INTEGER IS NULL OR h.year = $year::INTEGER
       OR (h.kind = 'inferred' AND h.year IS NULL))
  AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], h.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], h.country_iso3))
  AND (len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], h.province_key))
  AND ($finding_mask::INTEGER = 0
       OR (CASE WHEN $finding_any::BOOLEAN THEN h.finding_any_bits ELSE h.finding_latest_bits END
           & $finding_mask::INTEGER) <> 0)
  AND ($evidence::VARCHAR IS NULL OR h.evidence_level = $evidence::VARCHAR)
