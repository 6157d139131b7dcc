-- What each brand's lists in the atlas hold: per brand and kind of list (relation), the source,
-- the years, the minerals named and how many links and sites. The Map says from this why a view
-- is empty ("the atlas holds Apple's supplier list, no smelter list") and which years a brand
-- published no list. Params: $brands (VARCHAR[]; empty = every brand).
SELECT l.brand_id, any_value(b.name) AS brand_name, l.relation,
       array_to_string(list_sort(list_distinct(list(l.source_id))), '; ') AS source_ids,
       coalesce(list_sort(list_distinct(list(l.year) FILTER (WHERE l.year IS NOT NULL))), [])
           AS years,
       coalesce(list_sort(list_distinct(list(l.mineral) FILTER (WHERE l.mineral IS NOT NULL))),
                []) AS minerals,
       count(*) AS n_links, count(DISTINCT l.site_id) AS n_sites
FROM links AS l
JOIN brands AS b USING (brand_id)
WHERE len($brands::VARCHAR[]) = 0 OR list_contains($brands::VARCHAR[], l.brand_id)
GROUP BY l.brand_id, l.relation
ORDER BY l.brand_id, l.relation
