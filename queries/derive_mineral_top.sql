-- Build step: the top $limit rows of one view without a brand, with one mineral or none ($key)
-- and no other filter, for one dimension, ranked as queries/view_ranked.sql ranks them
-- (included), the rank numbered in that query's order (total: site_id last; a test compares
-- the rows read back by rank). Run by riskatlas/derived_views.py per mineral and dimension.
-- Params: those of view_ranked, $key (VARCHAR).
INSERT INTO mineral_top BY NAME
SELECT $key AS mineral_key, $dimension AS dimension,
       row_number() OVER (
           ORDER BY CASE t.kind WHEN 'documented' THEN 0 WHEN 'site' THEN 1
                                WHEN 'inferred' THEN 2 ELSE 3 END,
                    t.score IS NULL, t.score DESC, lower(coalesce(t.name, '')), t.site_id
       ) AS rank, t.*
FROM {{view_ranked}} AS t
