-- The Sankey of the Map's brand view, flows counted in sites: documented = brand -> 'listed
-- sites in <country>'; inferred through a listed refiner = 'listed sites in <refiner country>'
-- -> 'inferred source: <country>'; inferred with no refiner named (the ILAB goods list) = brand
-- -> 'goods-list route' -> 'inferred source: <country>'. Only rows kept by the view (minimum
-- risk included) count; documented and inferred flows are never added together.
-- Params: those of view_kept.
WITH kept AS (
    SELECT site_id, kind FROM {{view_kept}} AS k WHERE kind IN ('documented', 'inferred')
), h AS (
    SELECT x.*, coalesce(x.country_name, x.country_iso3, 'unknown country') AS place
    FROM {{view_hits}} AS x
    SEMI JOIN kept ON kept.site_id = x.site_id AND kept.kind = x.kind
), inf AS (
    SELECT *, (contains(one_route, 'smelter') AND via_country_iso3 IS NOT NULL) AS via_refiner
    FROM (SELECT *, unnest(string_split(coalesce(route, ''), ',')) AS one_route
          FROM h WHERE kind = 'inferred')
), flows AS (
    SELECT kind, 'b:' || brand_id AS src, brand_name AS src_label, 0 AS src_col,
           'l:' || coalesce(country_iso3, 'none') AS dst, 'listed sites in ' || place AS dst_label,
           1 AS dst_col, site_id
    FROM h WHERE kind = 'documented'
    UNION ALL
    SELECT kind, 'l:' || via_country_iso3, 'listed sites in ' || via_place, 1,
           's:' || coalesce(country_iso3, 'none'), 'inferred source: ' || place, 2, site_id
    FROM inf WHERE via_refiner
    UNION ALL
    SELECT kind, 'b:' || brand_id, brand_name, 0, 'g:' || brand_id,
           'goods-list route (no refiner named)', 1, site_id
    FROM inf WHERE NOT via_refiner
    UNION ALL
    SELECT kind, 'g:' || brand_id, 'goods-list route (no refiner named)', 1,
           's:' || coalesce(country_iso3, 'none'), 'inferred source: ' || place, 2, site_id
    FROM inf WHERE NOT via_refiner
)
SELECT kind, src, any_value(src_label) AS src_label, any_value(src_col) AS src_col,
       dst, any_value(dst_label) AS dst_label, any_value(dst_col) AS dst_col,
       count(DISTINCT site_id) AS n
FROM flows
GROUP BY kind, src, dst
ORDER BY kind, src, dst
