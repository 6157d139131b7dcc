-- The hits of a brand view's top $limit rows (stands for view_hits in view_ranked when a brand is
-- chosen and the rows are capped; never run alone). Why: aggregating every hit's citations before
-- ranking cost 0.7 s for a brand alone at a million sites; the order needs only site-level
-- columns, so the top site x kind keys are picked first and only their hits are aggregated.
-- The order, the kinds and the minimum risk are those of view_ranked and view_kept: documented
-- before inferred, unknown scores last and never kept by a minimum.
-- Params: those of view_hits, $dimension, $min_risk, $kinds, $limit.
SELECT h.*
FROM {{view_hits_all}} AS h
SEMI JOIN (
    SELECT k.site_id, k.kind
    FROM (
        SELECT site_id, kind, any_value(name) AS name,
            any_value(CASE WHEN $dimension = 'environment' THEN environment ELSE labour END)
                AS score
        FROM {{view_hits_all}}
        GROUP BY site_id, kind
    ) AS k
    WHERE ($min_risk::DOUBLE IS NULL OR k.score >= $min_risk::DOUBLE)
      AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], k.kind))
    ORDER BY CASE k.kind WHEN 'documented' THEN 0 WHEN 'inferred' THEN 2 ELSE 3 END,
             k.score IS NULL, k.score DESC,
             lower(coalesce(k.name, '')), k.site_id
    LIMIT $limit::BIGINT
) AS top
ON h.site_id = top.site_id AND h.kind = top.kind
