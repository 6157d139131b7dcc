-- The naive map (bench/naive.py): every located site with the facts the app's tooltip shows, as
-- a page without the build's derived tables would select them.
SELECT s.site_id, s.name, s.tier, s.country_iso3, s.lat, s.lon, s.geo_precision,
       array_to_string(s.minerals, ', ') AS minerals, s.source_id, s.source_ref, r.labour
FROM sites s LEFT JOIN site_risk r ON r.site_id = s.site_id
WHERE s.lat IS NOT NULL AND s.lon IS NOT NULL
