-- What one brand discloses: each list (source, year) with counts per mineral and relation.
-- Parameters: $brand_id, $year (NULL = every year), $minerals (empty list = every mineral)
SELECT l.source_id,
       src.title AS source_title,
       src.publisher,
       l.year,
       l.relation,
       coalesce(l.mineral, '(not given)') AS mineral,
       count(DISTINCT l.site_id) AS sites,
       count(DISTINCT l.site_id) FILTER (WHERE lower(l.status_as_reported) LIKE 'conformant%'
                                           OR l.status_as_reported = '*') AS reported_conformant
FROM links l
JOIN sources src USING (source_id)
WHERE l.brand_id = $brand_id
  AND ($year IS NULL OR l.year = $year)
  AND (len($minerals) = 0 OR l.mineral IS NULL OR list_contains($minerals, l.mineral))
GROUP BY ALL
ORDER BY l.source_id, l.year, l.relation, mineral
