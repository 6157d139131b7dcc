-- The filtered set without a brand: every site matching mineral, tier, country and (if set) the
-- year some brand listed it. Risk stays NULL where there is no evidence (unknown, not low).
-- Params: $minerals, $tiers, $countries (VARCHAR[], empty = any), $year (INTEGER or NULL).
SELECT
    s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_note, s.outside_country,
    s.country_iso3, c.name AS country_name, s.minerals, s.h3_r3, s.h3_r5,
    'site' AS kind, s.source_id, s.source_ref,
    s.source_id AS site_source_id, s.source_ref AS site_source_ref,
    r.labour, r.environment, r.labour_coverage, r.environment_coverage
FROM sites s
LEFT JOIN site_risk r ON r.site_id = s.site_id
LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
WHERE (len($minerals::VARCHAR[]) = 0 OR list_has_any(s.minerals, $minerals::VARCHAR[]))
  AND (len($tiers::VARCHAR[]) = 0 OR list_contains($tiers::VARCHAR[], s.tier))
  AND (len($countries::VARCHAR[]) = 0 OR list_contains($countries::VARCHAR[], s.country_iso3))
  AND ($year::INTEGER IS NULL
       OR s.site_id IN (SELECT site_id FROM links WHERE year = $year::INTEGER))
ORDER BY s.site_id
