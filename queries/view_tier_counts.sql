-- The legend's counts: rows of the Map's view per tier and kind, and how many of them have an
-- approximate location (city, province or country level, or none given).
-- Params: those of view_kept.
SELECT tier, kind, count(*) AS n,
       count(*) FILTER (WHERE geo_precision IS NULL OR geo_precision <> 'exact') AS n_approx
FROM {{view_kept}} AS k
GROUP BY tier, kind
ORDER BY tier, kind
