-- The bench's question (bench/hotspot.py): the brand and mineral with the most documented sites
-- of known labour risk, and the median labour score of those sites.
SELECT l.brand_id, l.mineral, count(DISTINCT l.site_id) AS n, median(r.labour) AS med
FROM links l JOIN site_risk r ON r.site_id = l.site_id
WHERE l.mineral IS NOT NULL AND r.labour IS NOT NULL
GROUP BY ALL
ORDER BY n DESC, l.brand_id, l.mineral
LIMIT 1
