-- The documented conflicts (EJAtlas) linked to one site, with the basis of each link, its
-- distance, the case's last update and address; nearest first. Params: $site_id.
SELECT c.name, l.basis, l.distance_km, l.matched_company, l.matched_name,
       array_to_string(l.matched_minerals, ', ') AS matched_minerals,
       c.last_update, c.intensity, c.project_status, c.url, c.conflict_id, l.source_id
FROM conflict_links l
JOIN conflicts c USING (conflict_id)
WHERE l.site_id = $site_id
ORDER BY l.distance_km, c.last_update DESC NULLS LAST, c.conflict_id
