-- The leading risk components of a set of sites, with their citations.
-- Parameters: $site_ids
SELECT site_id, dimension, indicator, value, weight, contribution, level, source_id, source_ref,
       raw_value, observed
FROM risk_components
WHERE list_contains($site_ids, site_id)
ORDER BY site_id, dimension, contribution DESC, indicator
