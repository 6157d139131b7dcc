-- The IPIS site with the most dated facts: the Site page the page-speed bench opens
-- (its main content is the facts table), the same site on every run of one atlas.
SELECT site_id
FROM site_facts
WHERE source_id = $source_id
GROUP BY site_id
ORDER BY count(*) DESC, site_id
LIMIT 1
