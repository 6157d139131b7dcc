-- One country's e-waste figures, every year, with source, flag and the source's data date:
-- What a Waste 2.0 (e-waste generated; municipal solid waste treatment shares) and the e-waste
-- recycling rate under its two definitions, kept as two indicators (never merged).
-- No row = not reported (never zero). Params: $country
SELECT ci.indicator, ci.year, ci.value, ci.flag, ci.source_id, ci.source_ref, s.data_date
FROM country_indicators ci
LEFT JOIN sources s ON s.source_id = ci.source_id
WHERE ci.country_iso3 = $country
  AND ci.indicator IN (
      'waw_ewaste_tons', 'waw_ewaste_kg_per_capita', 'waw_open_dump_pct',
      'waw_recycling_pct', 'waw_landfill_pct', 'waw_msw_tons',
      'ewaste_recycling_rate_eu', 'ewaste_recycling_rate_unitar')
ORDER BY ci.indicator, ci.year
