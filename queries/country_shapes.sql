-- Country outlines (Natural Earth, antimeridian-fixed) for the offline basemap.
SELECT country_iso3, name, label_lon, label_lat, geojson FROM country_shapes ORDER BY country_iso3
