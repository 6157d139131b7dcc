-- The Map's rows ranked as the hotspot table shows them: documented links first, then plain
-- sites, then inferred rows (a brand's own list is never ranked below what the data only
-- suggests); within each, highest score first, unknown scores last (never ranked as low), then
-- name and id for a stable order. $kinds keeps only some kinds (empty = all: the downloads);
-- $limit caps the rows (NULL = all).
-- Params: those of view_kept, $kinds (VARCHAR[]), $limit (INTEGER or NULL).
SELECT * EXCLUDE (h3_r2, h3_r3, h3_r5)
FROM {{view_kept}} AS k
WHERE len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], k.kind)
ORDER BY CASE k.kind WHEN 'documented' THEN 0 WHEN 'site' THEN 1 WHEN 'inferred' THEN 2 ELSE 3 END,
         k.score IS NULL, k.score DESC,
         lower(coalesce(k.name, '')), k.site_id
LIMIT $limit::BIGINT
