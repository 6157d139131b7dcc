-- Rejected rows, filterable by source and by text in the reason or raw row.
-- Params: $source_id (NULL = all), $text ('' = any), $limit
SELECT source_id, source_ref, reason, raw
FROM rejects
WHERE ($source_id::VARCHAR IS NULL OR source_id = $source_id::VARCHAR)
  AND ($text = '' OR contains(lower(reason), lower($text)) OR contains(lower(raw), lower($text))
       OR contains(lower(source_ref), lower($text)))
ORDER BY source_id, source_ref, reason
LIMIT $limit
