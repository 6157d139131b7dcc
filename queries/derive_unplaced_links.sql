-- Build step: the brand links whose site the atlas does not hold (no resolved site, or a site
-- id missing from sites), so the Map can say how many listed links it cannot draw without an
-- anti-join against every site on each filter change.
INSERT INTO unplaced_links BY NAME
SELECT brand_id, mineral, year, site_id, source_id, source_ref
FROM links
WHERE site_id IS NULL OR site_id NOT IN (SELECT site_id FROM sites)
ORDER BY brand_id, mineral NULLS LAST, year, source_ref
