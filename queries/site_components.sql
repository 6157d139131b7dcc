-- The risk breakdown of one site: each piece of evidence, its weight and what it contributes.
-- Params: $site_id
SELECT dimension, level, indicator, value, weight, contribution, source_id, source_ref
FROM risk_components
WHERE site_id = $site_id
ORDER BY dimension, contribution DESC NULLS LAST, indicator
