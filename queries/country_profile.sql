-- One country's indicators: the latest year of each, with source. Params: $country
SELECT indicator, year, value, source_id, source_ref, flag
FROM country_indicators
WHERE country_iso3 = $country
QUALIFY row_number() OVER (PARTITION BY indicator ORDER BY year DESC NULLS LAST) = 1
ORDER BY indicator
