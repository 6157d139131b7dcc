-- Country indicators available: name, years, number of countries, source.
SELECT indicator, min(year) AS first_year, max(year) AS last_year,
       count(DISTINCT country_iso3) AS countries,
       string_agg(DISTINCT source_id, '; ' ORDER BY source_id) AS source_id
FROM country_indicators
GROUP BY indicator
ORDER BY indicator
