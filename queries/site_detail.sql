-- One site: location (with precision, note, outside-country flag), source, and its risk scores.
-- Params: $site_id
SELECT s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_method, s.geo_note,
       s.outside_country,
       s.country_iso3, c.name AS country_name, s.province, s.city, s.minerals,
       s.source_id, s.source_ref, s.n_records,
       r.labour, r.environment, r.labour_coverage, r.environment_coverage
FROM sites s
LEFT JOIN site_risk r ON r.site_id = s.site_id
LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
WHERE s.site_id = $site_id
