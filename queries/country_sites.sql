-- Sites in one country by tier, with how many have known risk. Params: $country
SELECT s.tier, count(*) AS sites,
       count(r.labour) AS with_labour_score,
       count(r.environment) AS with_environment_score
FROM sites s LEFT JOIN site_risk r ON r.site_id = s.site_id
WHERE s.country_iso3 = $country
GROUP BY s.tier
ORDER BY s.tier
