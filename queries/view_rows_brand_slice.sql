-- The Map's rows for one brand with one mineral or every mineral and no year (the view_rows of
-- view_* queries then, chosen by riskatlas.view; never run alone): that brand's slice of the
-- precomputed brand_rows (queries/derive_brand_rows.sql), the same rows and columns as
-- view_rows_brands.sql, filtered by the site-level filters of view_hits.sql.
-- Why: a filtered read of one sorted slice instead of aggregating the brand's hits on every
-- filter change (at a million sites most of the Map's table route; issue 19, item 5).
-- Params: those of view_hits ($brands holds one brand, $minerals at most one mineral, $year
-- is NULL: riskatlas.view.view_includes picks this file only then).
SELECT
    r.site_id, r.name, r.tier, r.lat, r.lon, r.geo_precision, r.geo_note, r.outside_country,
    r.country_iso3, r.country_name, r.minerals, r.h3_r2, r.h3_r3, r.h3_r5, r.kind,
    r.brands, r.link_minerals, r.link_years, r.relation, r.route, r.via,
    r.source_id, r.source_ref, r.status_as_reported, r.explanation, r.n_links, r.n_routes,
    r.site_source_id, r.site_source_ref, r.geo_method,
    r.labour, r.environment, r.labour_coverage, r.environment_coverage,
    r.province, r.province_basis, r.latest_visit_date, r.latest_visit_ref,
    r.finding_child_labour, r.finding_forced_labour, r.finding_armed_presence,
    r.finding_armed_interference, r.finding_illegal_taxation, r.finding_mercury, r.finding_women,
    r.evidence_level
FROM brand_rows r
WHERE r.brand_id = ($brands::VARCHAR[])[1]
  AND r.mineral_key = coalesce(($minerals::VARCHAR[])[1], '*')
  AND $year::INTEGER IS NULL
  AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], r.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], r.country_iso3))
  AND (len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], r.province_key))
  AND ($finding_mask::INTEGER = 0
       OR (CASE WHEN $finding_any::BOOLEAN THEN r.finding_any_bits ELSE r.finding_latest_bits END
           & $finding_mask::INTEGER) <> 0)
  AND ($evidence::VARCHAR IS NULL OR r.evidence_level = $evidence::VARCHAR)
