-- The bits of the chosen minerals in map_sites.mineral_bits (riskatlas.view passes it to the
-- view_* queries as $mineral_mask, a constant: a scan then filters on one column, where a
-- subquery joined to every row cost 40 % of a view's query at a million sites). 0 = none.
-- Params: $minerals (VARCHAR[]).
SELECT CAST(coalesce(bit_or(1::UHUGEINT << bit::UHUGEINT), 0::UHUGEINT) AS VARCHAR) AS mask
FROM mineral_bits
WHERE list_contains($minerals::VARCHAR[], mineral)
