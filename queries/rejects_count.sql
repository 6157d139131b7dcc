-- How many rejected rows match the Sources page filter. Params: $source_id, $text
SELECT count(*) AS n
FROM rejects
WHERE ($source_id::VARCHAR IS NULL OR source_id = $source_id::VARCHAR)
  AND ($text = '' OR contains(lower(reason), lower($text)) OR contains(lower(raw), lower($text))
       OR contains(lower(source_ref), lower($text)))
