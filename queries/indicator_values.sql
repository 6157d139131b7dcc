-- One indicator in one year, per country (the choropleth). Params: $indicator, $year
SELECT ci.country_iso3, c.name, ci.value, ci.source_id, ci.source_ref, ci.flag
FROM country_indicators ci
LEFT JOIN countries c ON c.country_iso3 = ci.country_iso3
WHERE ci.indicator = $indicator AND ci.year = $year::INTEGER
ORDER BY ci.value DESC NULLS LAST, ci.country_iso3
