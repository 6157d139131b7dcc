-- Countries that have at least one site or indicator, with their names (and the other names and
-- ISO2 code the name resolver, riskatlas.names, reads).
SELECT c.country_iso3, c.name, c.iso2, c.official_name, c.cldr_name
FROM countries c
WHERE c.country_iso3 IN (SELECT country_iso3 FROM sites)
   OR c.country_iso3 IN (SELECT country_iso3 FROM country_indicators)
ORDER BY c.name
