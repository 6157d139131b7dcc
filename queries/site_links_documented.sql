-- Brands whose own disclosure lists this site (documented links), with source and year.
-- Params: $site_id
SELECT b.brand_id, b.name AS brand, l.relation, l.mineral, l.year, l.status_as_reported,
       l.name_as_reported, l.source_id, l.source_ref
FROM links l JOIN brands b ON b.brand_id = l.brand_id
WHERE l.site_id = $site_id
ORDER BY b.name, l.year DESC NULLS LAST, l.mineral, l.source_ref
