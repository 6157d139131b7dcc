-- Build step: every site of map_sites that names $mineral, with its mineral as mineral_key,
-- sorted by tier, then as map_sites (H3 cell, then site): a mineral's view narrowed to a tier
-- (the next filter readers set) reads a contiguous range too, whose cells sit together.
-- Run once per mineral in mineral order
-- (derive_mineral_rows_minerals.sql, riskatlas/derived.py), so mineral_rows is sorted by mineral
-- and each insert sorts one mineral's sites (memory bounded by the largest mineral).
-- Why: a view without a brand filtered by one mineral scanned every site of map_sites and
-- tested its mineral bits; at ten million sites, one mineral's two million sites were spread
-- over every row group, so every column of every row group was read (bench/RESULTS.md, issue
-- 19 item 5). Its slice of mineral_rows is contiguous: the zone maps skip the rest.
-- Params: $mineral (VARCHAR).
INSERT INTO mineral_rows BY NAME
SELECT $mineral AS mineral_key, s.* EXCLUDE (mineral_bits)
FROM map_sites s
WHERE (s.mineral_bits & (SELECT 1::UHUGEINT << b.bit::UHUGEINT FROM mineral_bits b
                         WHERE b.mineral = $mineral)) <> 0
ORDER BY s.tier NULLS LAST, s.h3_r3 NULLS LAST, s.h3_r5 NULLS LAST, s.site_id
