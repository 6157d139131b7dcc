-- The counts of a view without a brand, with one mineral or none and no other filter, read from
-- the build's mineral_counts (what queries/view_counts.sql gives for that view; chosen by
-- riskatlas.view). No row: the mineral is not in the atlas (the view counts it as usual).
-- Params: $minerals (VARCHAR[], at most one), $dimension.
SELECT * EXCLUDE (mineral_key, dimension)
FROM mineral_counts
WHERE mineral_key = coalesce(($minerals::VARCHAR[])[1], '*') AND dimension = $dimension
