-- One country's EU WEEE flows (Eurostat env_waselee), all categories (waste = TOTAL), tonnes,
-- per year and operation, with Eurostat's flag (d definition differs, s Eurostat estimate,
-- e estimated). ':' cells have no row (not reported). Params: $country
SELECT w.year, w.operation, w.value, w.flag, w.source_id
FROM weee w
WHERE w.country_iso3 = $country
  AND w.waste = 'TOTAL'
  AND w.unit = 'T'
  AND w.operation IN ('MKT', 'COL', 'TRT', 'RCY_REU', 'TRT_NEU')
ORDER BY w.year, w.operation
