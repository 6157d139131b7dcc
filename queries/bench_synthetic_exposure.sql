-- Every copy of a mine carries the real mine's inferred rows; the smelter named is the first
-- copy of the real one.
CREATE TABLE inferred_exposure AS
SELECT e.* REPLACE (s.site_id AS site_id, f.site_id AS via_site_id)
FROM r.inferred_exposure e JOIN sites s ON s.synthetic_of = e.site_id
LEFT JOIN first_copy f ON f.synthetic_of = e.via_site_id
