-- Where one mineral's sites are: sites per country and tier. Params: $mineral
SELECT s.country_iso3, c.name AS country, s.tier, count(*) AS sites
FROM sites s LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
WHERE list_contains(s.minerals, $mineral)
GROUP BY ALL
ORDER BY sites DESC, s.country_iso3, s.tier
