-- Every country's outline as GeoJSON text, for a report's printed maps.
SELECT country_iso3, geojson FROM country_shapes ORDER BY country_iso3
