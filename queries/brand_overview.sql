-- Per brand and mineral: documented sites (the brand lists them), with the lists' years and
-- sources. Inferred exposure is counted separately (brand_inferred_overview).
-- Params: $year (INTEGER or NULL = every year's lists).
SELECT b.brand_id, b.name AS brand, coalesce(l.mineral, '(no mineral: suppliers)') AS mineral,
       l.mineral AS mineral_key,
       count(DISTINCT l.site_id) AS documented_sites,
       string_agg(DISTINCT CAST(l.year AS VARCHAR), ', ' ORDER BY CAST(l.year AS VARCHAR)) AS years,
       string_agg(DISTINCT l.source_id, ', ' ORDER BY l.source_id) AS sources
FROM brands b JOIN links l ON l.brand_id = b.brand_id
WHERE $year::INTEGER IS NULL OR l.year = $year::INTEGER
GROUP BY ALL
ORDER BY b.name, documented_sites DESC, mineral
