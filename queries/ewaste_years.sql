-- Years of one e-waste indicator with the number of countries reporting it, latest first
-- (the e-waste map offers these years). Params: $indicator
SELECT year, count(DISTINCT country_iso3) AS countries
FROM country_indicators
WHERE indicator = $indicator AND year IS NOT NULL AND value IS NOT NULL
GROUP BY year
ORDER BY year DESC
