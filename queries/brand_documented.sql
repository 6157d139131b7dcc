-- Documented links: sites the chosen brands list (smelter or supplier), one row per site, with
-- the disclosures as citations (source_id/source_ref of the links, their years).
-- Params: $brands, $minerals, $tiers, $countries (VARCHAR[]), $year (INTEGER or NULL).
WITH l AS (
    SELECT l.*, b.name AS brand_name
    FROM links l JOIN brands b ON b.brand_id = l.brand_id
    WHERE list_contains($brands::VARCHAR[], l.brand_id)
      AND (len($minerals::VARCHAR[]) = 0 OR list_contains($minerals::VARCHAR[], l.mineral))
      AND ($year::INTEGER IS NULL OR l.year = $year::INTEGER)
), agg AS (
    SELECT
        site_id,
        string_agg(DISTINCT brand_name, '; ' ORDER BY brand_name) AS brands,
        string_agg(DISTINCT mineral, '; ' ORDER BY mineral) AS link_minerals,
        string_agg(DISTINCT CAST(year AS VARCHAR), '; ' ORDER BY CAST(year AS VARCHAR)) AS link_years,
        string_agg(DISTINCT relation, '; ' ORDER BY relation) AS relation,
        string_agg(DISTINCT source_id, '; ' ORDER BY source_id) AS source_id,
        string_agg(DISTINCT source_ref, '; ' ORDER BY source_ref) AS source_ref,
        string_agg(DISTINCT status_as_reported, '; ' ORDER BY status_as_reported)
            AS status_as_reported,
        count(*) AS n_links
    FROM l GROUP BY site_id
)
SELECT
    s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_note, s.outside_country,
    s.country_iso3, c.name AS country_name, s.minerals, s.h3_r3, s.h3_r5,
    'documented' AS kind, a.brands, a.link_minerals, a.link_years, a.relation,
    a.source_id, a.source_ref, a.status_as_reported, a.n_links,
    s.source_id AS site_source_id, s.source_ref AS site_source_ref,
    r.labour, r.environment, r.labour_coverage, r.environment_coverage
FROM agg a
JOIN sites s ON s.site_id = a.site_id
LEFT JOIN site_risk r ON r.site_id = s.site_id
LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
WHERE (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], s.country_iso3))
ORDER BY s.site_id
