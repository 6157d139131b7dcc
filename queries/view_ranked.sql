-- The Map's rows ranked as the hotspot table shows them: highest score first, unknown scores
-- last (never ranked as low), then documented before plain sites before inferred, then name and
-- id for a stable order. $limit caps the rows (NULL = all, for the downloads).
-- Params: those of view_kept, $limit (INTEGER or NULL).
SELECT * EXCLUDE (h3_r2, h3_r3, h3_r5)
FROM {{view_kept}} AS k
ORDER BY k.score IS NULL, k.score DESC,
         CASE k.kind WHEN 'documented' THEN 0 WHEN 'site' THEN 1 WHEN 'inferred' THEN 2 ELSE 3 END,
         lower(coalesce(k.name, '')), k.site_id
LIMIT $limit::BIGINT
