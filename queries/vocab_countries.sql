-- Countries that have at least one site or indicator, with their names.
SELECT c.country_iso3, c.name
FROM countries c
WHERE c.country_iso3 IN (SELECT country_iso3 FROM sites)
   OR c.country_iso3 IN (SELECT country_iso3 FROM country_indicators)
ORDER BY c.name
