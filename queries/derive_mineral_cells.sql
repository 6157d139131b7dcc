-- Build step: the H3 cells of one view without a brand, with one mineral or none ($key) and no
-- other filter, at resolution $res for one dimension, as queries/view_cells.sql aggregates them
-- (included; run by riskatlas/derived_views.py per mineral, dimension and resolution).
-- Params: those of view_cells, $key (VARCHAR).
INSERT INTO mineral_cells BY NAME
SELECT $key AS mineral_key, $dimension AS dimension, $res::INTEGER AS res, c.*
FROM {{view_cells}} AS c
