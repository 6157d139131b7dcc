-- Build step: one row per brand x mineral x site x kind x year with its citation and the site's
-- scores, sorted by brand and mineral, so the Map's brand view reads one slice of one table
-- (and a year filter stays exact: each row is one year's citation). Documented rows are the brand's own
-- links (year = the list's year); inferred rows are inferred_exposure routes, kept apart by
-- `kind`, with year = each year the brand listed the refiner the route goes through; a route that
-- names no refiner (the ILAB goods list: it rests on the brand listing the mineral at all) takes
-- each year the brand listed a smelter of that mineral (NULL when those links carry no year).
INSERT INTO brand_hits BY NAME
WITH hits AS (
    SELECT l.brand_id, l.mineral, l.site_id, 'documented' AS kind, l.year,
           l.relation, l.source_id, l.source_ref, l.status_as_reported,
           NULL::VARCHAR AS route, NULL::VARCHAR AS via_site_id, NULL::VARCHAR AS explanation
    FROM links l
    WHERE l.site_id IS NOT NULL
    UNION ALL
    SELECT e.brand_id, e.mineral, e.site_id, 'inferred', coalesce(y.year, ym.year),
           NULL, e.source_id, e.source_ref, NULL,
           e.route, e.via_site_id, e.explanation
    FROM inferred_exposure e
    LEFT JOIN (SELECT DISTINCT brand_id, site_id, year FROM links WHERE year IS NOT NULL) y
        ON y.brand_id = e.brand_id AND y.site_id = e.via_site_id
    LEFT JOIN (SELECT DISTINCT brand_id, mineral, year FROM links
               WHERE year IS NOT NULL AND relation = 'lists_smelter' AND site_id IS NOT NULL) ym
        ON e.via_site_id IS NULL AND ym.brand_id = e.brand_id AND ym.mineral = e.mineral
)
SELECT h.brand_id, b.name AS brand_name, h.mineral, h.kind, h.year, h.site_id,
       h.relation, h.source_id, h.source_ref, h.status_as_reported,
       h.route, h.via_site_id, v.name AS via_name, v.country_iso3 AS via_country_iso3,
       coalesce(vc.name, v.country_iso3) AS via_place, h.explanation,
       m.name, m.tier, m.lat, m.lon, m.geo_precision, m.geo_note, m.outside_country,
       m.country_iso3, m.country_name, m.minerals, m.h3_r2, m.h3_r3, m.h3_r5,
       m.source_id AS site_source_id, m.source_ref AS site_source_ref, m.geo_method,
       m.labour, m.environment, m.labour_coverage, m.environment_coverage,
       m.province, m.province_basis, m.province_key, m.finding_latest_bits, m.finding_any_bits,
       m.latest_visit_date, m.latest_visit_ref,
       m.finding_child_labour, m.finding_forced_labour, m.finding_armed_presence,
       m.finding_armed_interference, m.finding_illegal_taxation, m.finding_mercury,
       m.finding_women, m.evidence_level
FROM hits h
JOIN map_sites m ON m.site_id = h.site_id
JOIN brands b ON b.brand_id = h.brand_id
LEFT JOIN sites v ON v.site_id = h.via_site_id
LEFT JOIN countries vc ON vc.country_iso3 = v.country_iso3
ORDER BY h.brand_id, h.mineral NULLS LAST, m.labour DESC NULLS LAST, h.kind, h.site_id, h.year,
         h.source_ref
