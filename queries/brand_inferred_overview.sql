-- Per brand and mineral: sites with inferred exposure (no disclosure names them).
SELECT e.brand_id, e.mineral, count(DISTINCT e.site_id) AS inferred_sites
FROM inferred_exposure e
GROUP BY ALL
ORDER BY e.brand_id, e.mineral
