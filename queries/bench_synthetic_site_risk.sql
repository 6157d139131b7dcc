-- Every synthetic site carries its real site's scores.
CREATE TABLE site_risk AS
SELECT x.* REPLACE (s.site_id AS site_id)
FROM sites s JOIN r.site_risk x ON x.site_id = s.synthetic_of
