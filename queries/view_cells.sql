-- The Map's H3 cells when there are too many points: per cell (resolution $res: 5, 3 or 2) the
-- number of rows, how many have no evidence (unknown, not low), the highest known score, the
-- same per kind (documented and inferred are counted apart, never added), and the tiers,
-- countries and sources inside, for the cell's tooltip.
-- Params: those of view_kept, $res (5, 3 or 2), $tier_codes and $tier_labels (VARCHAR[]: how
-- the tooltip names each tier).
WITH p AS (
    SELECT CASE $res::INTEGER WHEN 5 THEN h3_r5 WHEN 3 THEN h3_r3 ELSE h3_r2 END AS hex,
           tier, kind, score, country_iso3, source_id
    FROM {{view_kept}} AS k
    WHERE lat IS NOT NULL AND lon IS NOT NULL
), per_tier AS (
    SELECT hex, tier, count(*) AS n FROM p WHERE hex IS NOT NULL GROUP BY hex, tier
), tiers AS (
    SELECT hex,
           string_agg(coalesce(list_extract($tier_labels::VARCHAR[],
                                            list_position($tier_codes::VARCHAR[], tier)),
                               tier) || ': ' || n, ', ' ORDER BY tier) AS tiers
    FROM per_tier GROUP BY hex
)
SELECT p.hex, count(*) AS n, count(*) - count(p.score) AS n_unknown, max(p.score) AS top,
       count(*) FILTER (WHERE p.kind = 'documented') AS n_documented,
       max(p.score) FILTER (WHERE p.kind = 'documented') AS top_documented,
       count(*) FILTER (WHERE p.kind = 'inferred') AS n_inferred,
       max(p.score) FILTER (WHERE p.kind = 'inferred') AS top_inferred,
       any_value(t.tiers) AS tiers,
       string_agg(DISTINCT p.country_iso3, ', ' ORDER BY p.country_iso3) AS countries,
       string_agg(DISTINCT p.source_id, ', ' ORDER BY p.source_id) AS sources
FROM p JOIN tiers t ON t.hex = p.hex
GROUP BY p.hex
ORDER BY p.hex
