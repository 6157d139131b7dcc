-- The top rows of a view without a brand, with one mineral or none and no other filter, read
-- from the build's mineral_top (what queries/view_ranked.sql gives, in its order; chosen by
-- riskatlas.view when $limit is at most the rows the build kept).
-- Params: $minerals (VARCHAR[], at most one), $dimension, $limit.
SELECT * EXCLUDE (mineral_key, dimension, rank)
FROM mineral_top
WHERE mineral_key = coalesce(($minerals::VARCHAR[])[1], '*') AND dimension = $dimension
  AND rank <= $limit::BIGINT
ORDER BY rank
