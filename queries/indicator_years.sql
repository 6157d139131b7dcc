-- Years in which one indicator has values. Params: $indicator
SELECT DISTINCT year FROM country_indicators
WHERE indicator = $indicator AND year IS NOT NULL
ORDER BY year DESC
