-- The risk breakdown of one site: each piece of evidence, its weight and what it contributes.
-- Params: $site_id
-- raw_value is the evidence as its source publishes it; value is its normalised 0..1 reading.
SELECT dimension, level, indicator, value, weight, contribution, source_id, source_ref,
       raw_value, observed
FROM risk_components
WHERE site_id = $site_id
ORDER BY dimension DESC, contribution DESC NULLS LAST, indicator
