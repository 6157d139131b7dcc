-- What the Map's captions count: rows per kind, unknown scores, rows the minimum risk hides
-- because their score is unknown, located points, their H3 cells and their extent, the sources
-- cited, and the legend's rows per tier, kind and location precision.
-- Params: those of view_scored, $min_risk.
SELECT
    count(*) FILTER (WHERE kept) AS n_rows,
    count(*) FILTER (WHERE kept AND kind = 'documented') AS n_documented,
    count(*) FILTER (WHERE kept AND kind = 'inferred') AS n_inferred,
    count(*) FILTER (WHERE kept AND kind = 'site') AS n_sites,
    count(*) FILTER (WHERE kept AND score IS NULL) AS n_unknown,
    count(*) FILTER (WHERE NOT kept AND score IS NULL) AS hidden_unknown,
    count(*) FILTER (WHERE kept AND lat IS NOT NULL AND lon IS NOT NULL) AS n_located,
    count(DISTINCT h3_r5) FILTER (WHERE kept AND lat IS NOT NULL AND lon IS NOT NULL) AS n_r5,
    count(DISTINCT h3_r3) FILTER (WHERE kept AND lat IS NOT NULL AND lon IS NOT NULL) AS n_r3,
    -- the located rows' extent (2nd-98th percentile, robust to outliers): the map's framing and
    -- so the cell size an aggregated view is drawn at, known before any row is fetched
    quantile_cont(lat, [0.02, 0.98]) FILTER (WHERE kept AND lat IS NOT NULL AND lon IS NOT NULL)
        AS lat_range,
    quantile_cont(lon, [0.02, 0.98]) FILTER (WHERE kept AND lat IS NOT NULL AND lon IS NOT NULL)
        AS lon_range,
    coalesce(list_sort(list(DISTINCT source_id) FILTER (WHERE kept)), []) AS source_ids,
    coalesce(list_sort(list(DISTINCT site_source_id) FILTER (WHERE kept)), [])
        AS site_source_ids,
    -- the legend's counts: 'tier|kind|exact' or 'tier|kind|approx' -> rows
    histogram(tier || '|' || kind || '|'
              || CASE WHEN geo_precision = 'exact' THEN 'exact' ELSE 'approx' END)
        FILTER (WHERE kept) AS tier_kinds
FROM (
    SELECT *, coalesce($min_risk::DOUBLE IS NULL OR score >= $min_risk::DOUBLE, false) AS kept
    FROM {{view_scored}} AS v
)
