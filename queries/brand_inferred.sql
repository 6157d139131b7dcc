-- Inferred exposure: sites no disclosure names but the data suggests as a possible route for the
-- chosen brands (e.g. the mineral is mined in a country a listed refiner sources from). One row
-- per site; never merged with documented links. With a year, only routes through a refiner the
-- brand listed in that year (routes without a refiner, e.g. the goods list, are kept).
-- Params: $brands, $minerals, $tiers, $countries (VARCHAR[]), $year (INTEGER or NULL).
WITH e AS (
    SELECT e.*, b.name AS brand_name, v.name AS via_name
    FROM inferred_exposure e
    JOIN brands b ON b.brand_id = e.brand_id
    LEFT JOIN sites v ON v.site_id = e.via_site_id
    WHERE list_contains($brands::VARCHAR[], e.brand_id)
      AND (len($minerals::VARCHAR[]) = 0 OR list_contains($minerals::VARCHAR[], e.mineral))
      AND ($year::INTEGER IS NULL OR e.via_site_id IS NULL OR EXISTS (
            SELECT 1 FROM links l
            WHERE l.brand_id = e.brand_id AND l.site_id = e.via_site_id
              AND l.year = $year::INTEGER))
), agg AS (
    SELECT
        site_id,
        string_agg(DISTINCT brand_name, '; ' ORDER BY brand_name) AS brands,
        string_agg(DISTINCT mineral, '; ' ORDER BY mineral) AS link_minerals,
        string_agg(DISTINCT route, '; ' ORDER BY route) AS route,
        string_agg(DISTINCT via_name, '; ' ORDER BY via_name) AS via,
        string_agg(DISTINCT source_id, '; ' ORDER BY source_id) AS source_id,
        string_agg(DISTINCT source_ref, '; ' ORDER BY source_ref) AS source_ref,
        min(explanation) AS explanation,
        count(*) AS n_routes
    FROM e GROUP BY site_id
)
SELECT
    s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_note, s.outside_country,
    s.country_iso3, c.name AS country_name, s.minerals, s.h3_r3, s.h3_r5,
    'inferred' AS kind, a.brands, a.link_minerals, a.route, a.via, a.source_id, a.source_ref,
    a.explanation, a.n_routes,
    s.source_id AS site_source_id, s.source_ref AS site_source_ref,
    r.labour, r.environment, r.labour_coverage, r.environment_coverage
FROM agg a
JOIN sites s ON s.site_id = a.site_id
LEFT JOIN site_risk r ON r.site_id = s.site_id
LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
WHERE (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], s.country_iso3))
ORDER BY s.site_id
