-- Hotspots for one brand and one mineral: the sites the brand lists (documented) and the sites
-- the data suggests (inferred), kept apart, whose labour risk is known and at least $min_risk,
-- highest risk first, each with its citations (source_id: source_ref of every link or route).
-- The question the Map's ranked tables answer (riskatlas.view.View.tables, which reads the
-- tables the build derives), written as one join over the source tables that SQLite can also
-- run: the Datasette comparison runs this very text ($name becomes :name there).
-- Params: $brand, $mineral (VARCHAR), $min_risk (DOUBLE), $lim (INTEGER).
WITH hits AS (
    SELECT site_id, 'documented' AS kind, source_id || ': ' || source_ref AS citation, year
    FROM links
    WHERE brand_id = $brand AND mineral = $mineral
    UNION ALL
    SELECT site_id, 'inferred' AS kind, source_id || ': ' || source_ref AS citation, NULL AS year
    FROM inferred_exposure
    WHERE brand_id = $brand AND mineral = $mineral
)
SELECT
    s.site_id, s.name, s.tier, s.country_iso3, s.lat, s.lon, s.geo_precision, h.kind,
    r.labour, r.labour_coverage,
    group_concat(DISTINCT h.citation) AS citations,
    min(h.year) AS first_year, max(h.year) AS last_year
FROM hits h
JOIN sites s ON s.site_id = h.site_id
JOIN site_risk r ON r.site_id = h.site_id
WHERE r.labour >= $min_risk
GROUP BY s.site_id, s.name, s.tier, s.country_iso3, s.lat, s.lon, s.geo_precision, h.kind,
    r.labour, r.labour_coverage
ORDER BY r.labour DESC, h.kind, s.site_id
LIMIT CAST($lim AS INTEGER)
