-- The top $limit rows of each kind of a brand view, documented then inferred, in one query:
-- queries/view_ranked.sql run once per kind, side by side (the same order within each kind;
-- riskatlas.view splits them). Why: one round trip, one plan and one cache entry for the Map's
-- two ranked tables instead of two (issue 19, item 5). Each part filters one kind, so with
-- brand_rows (sorted by kind within a brand's slice) each reads only its kind's row groups.
-- Params: those of view_kept, $limit (BIGINT).
SELECT * FROM (
    (SELECT * EXCLUDE (h3_r2, h3_r3, h3_r5) FROM {{view_kept}} AS k
     WHERE k.kind = 'documented'
     ORDER BY k.score IS NULL, k.score DESC, lower(coalesce(k.name, '')), k.site_id
     LIMIT $limit::BIGINT)
    UNION ALL
    (SELECT * EXCLUDE (h3_r2, h3_r3, h3_r5) FROM {{view_kept}} AS k
     WHERE k.kind = 'inferred'
     ORDER BY k.score IS NULL, k.score DESC, lower(coalesce(k.name, '')), k.site_id
     LIMIT $limit::BIGINT)
) AS t
ORDER BY CASE t.kind WHEN 'documented' THEN 0 ELSE 2 END,
         t.score IS NULL, t.score DESC, lower(coalesce(t.name, '')), t.site_id
