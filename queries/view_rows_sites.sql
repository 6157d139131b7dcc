-- The Map's rows without a brand (the view_rows of view_* queries when no brand is chosen; never
-- run alone): every site matching mineral, tier, country and (if set) the year some brand listed
-- it, the provinces and what a site visit found, kind 'site'. Risk stays NULL where there is no
-- evidence (unknown, not low).
-- Params: $minerals, $tiers, $countries (VARCHAR[], empty = any), $year (INTEGER or NULL),
-- $provinces (VARCHAR[] of folded province keys, empty = any), $finding_mask (INTEGER: bits of
-- riskatlas.findings, 0 = any site; a site matches with any of them), $finding_any (BOOLEAN:
-- found at any visit rather than the latest).
-- $evidence ('site' = only sites with site-level evidence, or NULL), $mineral_mask (VARCHAR:
-- the minerals' bits, queries/view_mineral_mask.sql).
SELECT
    s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_note, s.outside_country,
    s.country_iso3, s.country_name, s.minerals, s.h3_r2, s.h3_r3, s.h3_r5, 'site' AS kind,
    NULL::VARCHAR AS brands, NULL::VARCHAR AS link_minerals, NULL::VARCHAR AS link_years,
    NULL::VARCHAR AS relation, NULL::VARCHAR AS route, NULL::VARCHAR AS via,
    s.source_id, s.source_ref, NULL::VARCHAR AS status_as_reported,
    NULL::VARCHAR AS explanation, NULL::BIGINT AS n_links, NULL::BIGINT AS n_routes,
    s.source_id AS site_source_id, s.source_ref AS site_source_ref, s.geo_method,
    s.labour, s.environment, s.labour_coverage, s.environment_coverage,
    s.province, s.province_basis, s.latest_visit_date, s.latest_visit_ref,
    s.finding_child_labour, s.finding_forced_labour, s.finding_armed_presence,
    s.finding_armed_interference, s.finding_illegal_taxation, s.finding_mercury, s.finding_women,
    s.evidence_level
FROM map_sites s
WHERE (len($minerals::VARCHAR[]) = 0 OR (s.mineral_bits & $mineral_mask::UHUGEINT) <> 0)
  AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], s.country_iso3))
  AND ($evidence::VARCHAR IS NULL OR s.evidence_level = $evidence::VARCHAR)
  AND ($year::INTEGER IS NULL
       OR s.site_id IN (SELECT site_id FROM links WHERE year = $year::INTEGER))
  AND (len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], s.province_key))
  AND ($finding_mask::INTEGER = 0
       OR (CASE WHEN $finding_any::BOOLEAN THEN s.finding_any_bits ELSE s.finding_latest_bits END
           & $finding_mask::INTEGER) <> 0)
