-- Every mineral a site, a brand link or an inferred route names (the mineral filter's options).
SELECT DISTINCT mineral FROM (
    SELECT unnest(minerals) AS mineral FROM sites
    UNION ALL SELECT mineral FROM links
) WHERE mineral IS NOT NULL AND mineral <> ''
ORDER BY mineral
