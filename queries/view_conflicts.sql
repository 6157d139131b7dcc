-- The documented conflicts (EJAtlas) of a narrowed Map view: the cases linked to a site in the
-- view (conflict_links, with its stated basis), plus, in a view without a brand, the cases in
-- the chosen countries that name a chosen mineral ($by_mineral) or are e-waste cases when the
-- e-waste tier is chosen ($by_ewaste). Why: in a brand's or a mineral's view every case of
-- the world buried the sites under rings that have nothing to do with that view.
-- Params: those of view_kept, $by_mineral (BOOLEAN), $by_ewaste (BOOLEAN).
-- `shown` keeps only the view's sites that some case is linked to: the small conflict_links
-- is the hash join's build side, so two million sites are probed, not made distinct.
WITH shown AS (
    SELECT DISTINCT site_id FROM {{view_kept}} AS k
    WHERE k.site_id IN (SELECT site_id FROM conflict_links)
),
picked AS (
    SELECT DISTINCT l.conflict_id, 'linked to a site shown' AS why
    FROM conflict_links l JOIN shown USING (site_id)
    UNION ALL
    SELECT c.conflict_id,
           CASE WHEN $by_ewaste AND c.is_ewaste THEN 'an e-waste case'
                ELSE 'names a chosen mineral' END AS why
    FROM conflicts c
    WHERE (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], c.country_iso3))
      AND (($by_mineral AND len(list_intersect(c.minerals, $minerals::VARCHAR[])) > 0)
           OR ($by_ewaste AND c.is_ewaste))
),
why AS (
    SELECT conflict_id, array_to_string(list_sort(list_distinct(list(why))), '; ') AS shown_because
    FROM picked GROUP BY conflict_id
)
SELECT c.conflict_id, c.name, c.url, c.lat, c.lon, c.country_iso3,
       array_to_string(c.commodities, ', ') AS commodities,
       array_to_string(c.companies, ', ') AS companies,
       c.intensity, c.project_status, c.last_update, c.attributes_missing, c.source_id,
       count(l.site_id) AS n_sites,
       array_to_string(list_sort(list_distinct(list(l.basis))), ', ') AS bases,
       w.shown_because
FROM conflicts c
JOIN why w USING (conflict_id)
LEFT JOIN conflict_links l USING (conflict_id)
GROUP BY ALL
ORDER BY c.conflict_id
