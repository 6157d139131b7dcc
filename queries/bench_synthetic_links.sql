-- Every copy of a listed site carries the real site's links; links to no site stay once.
CREATE TABLE links AS
SELECT l.* REPLACE (s.site_id AS site_id)
FROM r.links l JOIN sites s ON s.synthetic_of = l.site_id
UNION ALL
SELECT l.* FROM r.links l
WHERE l.site_id IS NULL OR l.site_id NOT IN (SELECT site_id FROM r.sites)
