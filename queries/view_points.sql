-- The Map's points: located rows of the view with what a point and its tooltip show, inferred
-- first so documented points are drawn on top. Only run when n_located is under the point limit.
-- Params: those of view_kept.
SELECT site_id, name, tier, kind, lat, lon, geo_precision, country_iso3, country_name,
       array_to_string(minerals, ', ') AS minerals, source_id, source_ref, score, coverage,
       geo_method, evidence_level
FROM {{view_kept}} AS k
WHERE lat IS NOT NULL AND lon IS NOT NULL
ORDER BY CASE kind WHEN 'inferred' THEN 0 WHEN 'site' THEN 1 ELSE 2 END, site_id
