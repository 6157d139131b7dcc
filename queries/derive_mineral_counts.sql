-- Build step: the counts of one view without a brand, with one mineral or none ($key: the
-- mineral or '*') and no other filter, for one dimension, as queries/view_counts.sql counts
-- them (included; riskatlas/derived_views.py runs it per mineral and dimension with the
-- view's own parameters and rows query).
-- Params: those of view_counts, $key (VARCHAR).
INSERT INTO mineral_counts BY NAME
SELECT $key AS mineral_key, $dimension AS dimension, c.*
FROM {{view_counts}} AS c
