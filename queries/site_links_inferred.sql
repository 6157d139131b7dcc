-- Brands with inferred exposure to this site (no disclosure names it), with the route.
-- Params: $site_id
SELECT b.brand_id, b.name AS brand, e.mineral, e.route, e.explanation,
       e.via_site_id, v.name AS via_name, e.via_country_iso3, e.source_id, e.source_ref
FROM inferred_exposure e
JOIN brands b ON b.brand_id = e.brand_id
LEFT JOIN sites v ON v.site_id = e.via_site_id
WHERE e.site_id = $site_id
ORDER BY b.name, e.mineral, e.route, e.via_site_id
