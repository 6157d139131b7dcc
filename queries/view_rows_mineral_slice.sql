-- The Map's rows without a brand and with exactly one mineral (the view_rows of view_* queries
-- then, chosen by riskatlas.view; never run alone): that mineral's slice of mineral_rows
-- (queries/derive_mineral_rows.sql), the same rows and columns as view_rows_sites.sql with the
-- same filters. Why: one contiguous slice instead of testing the mineral bits of every site
-- (issue 19, item 5).
-- Params: those of view_rows_sites without $mineral_mask ($minerals holds one mineral).
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
FROM mineral_rows s
WHERE s.mineral_key = ($minerals::VARCHAR[])[1]
  AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], s.country_iso3))
  AND ($evidence::VARCHAR IS NULL OR s.evidence_level = $evidence::VARCHAR)
  AND ($year::INTEGER IS NULL
       OR s.site_id IN (SELECT site_id FROM links WHERE year = $year::INTEGER))
  AND (len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], s.province_key))
  AND ($finding_mask::INTEGER = 0
       OR (CASE WHEN $finding_any::BOOLEAN THEN s.finding_any_bits ELSE s.finding_latest_bits END
           & $finding_mask::INTEGER) <> 0)
