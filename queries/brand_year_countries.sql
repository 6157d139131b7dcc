-- Sites a brand's own lists name per year and country (the "What changed" chart): documented
-- links only. Params: $brand (brand_id).
SELECT l.year, coalesce(m.country_name, m.country_iso3, 'not placed') AS country,
       count(DISTINCT l.site_id) AS sites
FROM links AS l
LEFT JOIN map_sites AS m USING (site_id)
WHERE l.brand_id = $brand AND l.relation LIKE 'lists_%' AND l.year IS NOT NULL
GROUP BY ALL
ORDER BY l.year, sites DESC
