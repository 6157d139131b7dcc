-- The views riskatlas/derived_views.py computes at build time: every mineral ('*') and each
-- mineral, where the view holds at least $min_rows sites (a smaller view costs a few ms per
-- query as it is asked; computing it whole at build time would cost more than it saves).
-- Params: $min_rows (BIGINT).
SELECT key FROM (
    SELECT '*' AS key, count(*) AS n FROM map_sites
    UNION ALL
    SELECT mineral_key, count(*) FROM mineral_rows GROUP BY mineral_key
)
WHERE n >= $min_rows::BIGINT
ORDER BY key
