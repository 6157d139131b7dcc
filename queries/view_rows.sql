-- The Map's view before the minimum risk (included by the view_* queries, never run alone).
-- Without a brand: every site matching mineral, tier, country and (if set) the year some brand
-- listed it, kind 'site'. With brands: one row per site and kind, 'documented' (the brands list
-- it) and 'inferred' (the data suggests a route), never merged; with a year, documented links of
-- that year and inferred routes through a refiner the brand listed that year (routes naming no
-- refiner are kept). `score`/`coverage` are the chosen dimension; NULL = unknown, not low.
-- Params: $brands, $minerals, $tiers, $countries (VARCHAR[], empty = any), $year (INTEGER or
-- NULL), $dimension ('labour' | 'environment').
WITH mask AS (
    SELECT coalesce(bit_or(1::UHUGEINT << bit::UHUGEINT), 0::UHUGEINT) AS m
    FROM mineral_bits WHERE list_contains($minerals::VARCHAR[], mineral)
), plain AS (
    SELECT
        s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_note, s.outside_country,
        s.country_iso3, s.country_name, s.minerals, s.h3_r2, s.h3_r3, s.h3_r5, 'site' AS kind,
        NULL::VARCHAR AS brands, NULL::VARCHAR AS link_minerals, NULL::VARCHAR AS link_years,
        NULL::VARCHAR AS relation, NULL::VARCHAR AS route, NULL::VARCHAR AS via,
        s.source_id, s.source_ref, NULL::VARCHAR AS status_as_reported,
        NULL::VARCHAR AS explanation, NULL::BIGINT AS n_links, NULL::BIGINT AS n_routes,
        s.source_id AS site_source_id, s.source_ref AS site_source_ref,
        s.labour, s.environment, s.labour_coverage, s.environment_coverage
    FROM map_sites s
    WHERE len($brands::VARCHAR[]) = 0
      AND (len($minerals::VARCHAR[]) = 0 OR (s.mineral_bits & (SELECT m FROM mask)) <> 0)
      AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
      AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], s.country_iso3))
      AND ($year::INTEGER IS NULL
           OR s.site_id IN (SELECT site_id FROM links WHERE year = $year::INTEGER))
), branded AS (
    SELECT
        h.site_id, any_value(h.name) AS name, any_value(h.tier) AS tier,
        any_value(h.lat) AS lat, any_value(h.lon) AS lon,
        any_value(h.geo_precision) AS geo_precision, any_value(h.geo_note) AS geo_note,
        any_value(h.outside_country) AS outside_country,
        any_value(h.country_iso3) AS country_iso3, any_value(h.country_name) AS country_name,
        any_value(h.minerals) AS minerals, any_value(h.h3_r2) AS h3_r2,
        any_value(h.h3_r3) AS h3_r3,
        any_value(h.h3_r5) AS h3_r5, h.kind,
        nullif(array_to_string(list_sort(list_distinct(list(h.brand_name))), '; '), '') AS brands,
        nullif(array_to_string(list_sort(list_distinct(list(h.mineral))), '; '), '')
            AS link_minerals,
        CASE WHEN h.kind = 'documented' THEN nullif(array_to_string(
            list_sort(list_distinct(list(CAST(h.year AS VARCHAR)))), '; '), '') END AS link_years,
        nullif(array_to_string(list_sort(list_distinct(list(h.relation))), '; '), '') AS relation,
        nullif(array_to_string(list_sort(list_distinct(list(h.route))), '; '), '') AS route,
        nullif(array_to_string(list_sort(list_distinct(list(h.via_name))), '; '), '') AS via,
        nullif(array_to_string(list_sort(list_distinct(list(h.source_id))), '; '), '') AS source_id,
        nullif(array_to_string(list_sort(list_distinct(list(h.source_ref))), '; '), '')
            AS source_ref,
        nullif(array_to_string(list_sort(list_distinct(list(h.status_as_reported))), '; '),
            '') AS status_as_reported,
        min(h.explanation) AS explanation,
        CASE WHEN h.kind = 'documented' THEN count(*) END AS n_links,
        CASE WHEN h.kind = 'inferred'
            THEN len(list_distinct(list((h.mineral, h.route, h.via_site_id, h.source_ref)))) END
            AS n_routes,
        any_value(h.site_source_id) AS site_source_id,
        any_value(h.site_source_ref) AS site_source_ref,
        any_value(h.labour) AS labour, any_value(h.environment) AS environment,
        any_value(h.labour_coverage) AS labour_coverage,
        any_value(h.environment_coverage) AS environment_coverage
    FROM {{view_hits}} AS h
    GROUP BY h.site_id, h.kind
)
SELECT
    *,
    CASE WHEN $dimension = 'environment' THEN environment ELSE labour END AS score,
    CASE WHEN $dimension = 'environment' THEN environment_coverage ELSE labour_coverage END
        AS coverage
FROM (SELECT * FROM plain UNION ALL BY NAME SELECT * FROM branded)
