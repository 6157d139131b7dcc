-- The source records merged into this site (entity resolution), each with its source.
-- Params: $site_id
SELECT r.source_id, r.source_ref, r.name, src.publisher
FROM site_records r
LEFT JOIN sources src ON src.source_id = r.source_id
WHERE r.site_id = $site_id
ORDER BY r.source_id, r.source_ref
