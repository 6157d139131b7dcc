-- Every fact recorded at one site, newest first, each with its date and source.
-- Params: $site_id
SELECT f.observed_on, f.fact, f.value, f.source_id, f.source_ref, src.publisher
FROM site_facts f
LEFT JOIN sources src ON src.source_id = f.source_id
WHERE f.site_id = $site_id
ORDER BY f.observed_on DESC NULLS LAST, f.source_ref, f.fact
