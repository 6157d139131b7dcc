-- A copy has its real site's province (the Map's province filter).
CREATE TABLE site_provinces AS
SELECT p.* REPLACE (s.site_id AS site_id)
FROM r.site_provinces p JOIN sites s ON s.synthetic_of = p.site_id
