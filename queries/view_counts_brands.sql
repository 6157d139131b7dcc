-- The counts of a brand view and the listed links the atlas cannot place, in one query (what
-- queries/view_counts.sql and brand_unlocated_links.sql give, side by side). Why: each query
-- of a filter change costs a round trip, its planning and a cache entry; the Map's table route
-- is mostly such fixed costs (bench/RESULTS.md, issue 19 item 5).
-- Params: those of view_counts (with $brands, $minerals and $year, which
-- brand_unlocated_links reads too).
SELECT c.*, u.n AS unlocated_links
FROM {{view_counts}} AS c, {{brand_unlocated_links}} AS u
