-- The documented conflicts (EJAtlas) layer of the Map: every case with a point, in the chosen
-- countries (empty = all), with how many sites it is linked to and on which bases.
-- Params: $countries (VARCHAR[]).
SELECT c.conflict_id, c.name, c.url, c.lat, c.lon, c.country_iso3,
       array_to_string(c.commodities, ', ') AS commodities,
       array_to_string(c.companies, ', ') AS companies,
       c.intensity, c.project_status, c.last_update, c.attributes_missing, c.source_id,
       count(l.site_id) AS n_sites,
       array_to_string(list_sort(list_distinct(list(l.basis))), ', ') AS bases
FROM conflicts c
LEFT JOIN conflict_links l USING (conflict_id)
WHERE len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], c.country_iso3)
GROUP BY ALL
ORDER BY c.conflict_id
