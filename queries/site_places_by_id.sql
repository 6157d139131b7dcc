-- Name, point and country of atlas sites by id (a contribution naming a site takes its place).
-- Params: $ids (VARCHAR[]).
SELECT site_id, name, lat, lon, geo_precision, country_iso3
FROM sites
WHERE site_id IN (SELECT unnest($ids))
