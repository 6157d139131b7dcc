-- The H3 cells of a view without a brand, with one mineral or none and no other filter, read
-- from the build's mineral_cells (what queries/view_cells.sql gives; chosen by riskatlas.view).
-- Params: $minerals (VARCHAR[], at most one), $dimension, $res (5, 3 or 2).
SELECT * EXCLUDE (mineral_key, dimension, res)
FROM mineral_cells
WHERE mineral_key = coalesce(($minerals::VARCHAR[])[1], '*') AND dimension = $dimension
  AND res = $res::INTEGER
ORDER BY hex
