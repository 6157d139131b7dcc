-- A brand's documented links of two years (the "What changed" view), one row per link, with the
-- site, where and how precisely it is placed, its risk and the citation. Documented only: the
-- brand's own lists (relation lists_*), never inferred exposure.
-- Params: $brand (brand_id), $year_from, $year_to (INTEGER).
SELECT l.year, l.site_id, l.relation, l.mineral, l.name_as_reported, l.address_as_reported,
       l.source_id, l.source_ref, l.source_id || ': ' || l.source_ref AS citation,
       coalesce(m.name, l.name_as_reported) AS name, m.tier, m.country_iso3, m.country_name,
       m.lat, m.lon, m.geo_precision, m.geo_note, m.labour, m.environment,
       -- a smelter RMI removed from its lists (date and reason, as RMI's history gives them)
       (SELECT string_agg(f.value, '; ' ORDER BY f.observed_on) FROM site_facts AS f
        WHERE f.site_id = l.site_id AND f.fact = 'rmi_removed') AS rmi_removed
FROM links AS l
LEFT JOIN map_sites AS m USING (site_id)
WHERE l.brand_id = $brand AND l.relation LIKE 'lists_%'
  AND l.year IN ($year_from::INTEGER, $year_to::INTEGER)
ORDER BY l.year, l.site_id, l.source_ref
