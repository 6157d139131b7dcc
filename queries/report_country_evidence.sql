-- Country conditions behind a report's top sites: each country-level labour component once per
-- country, as its source publishes it (raw_value) and as the model reads it (value, 0..1), with
-- its year and citation. Why: a site's leading evidence rarely shows the national indicators,
-- yet they weigh in every score and are what a reader quotes about a country.
-- Params: $site_ids
SELECT s.country_iso3, any_value(c.name) AS country_name, rc.indicator,
       any_value(rc.raw_value) AS raw_value, any_value(rc.value) AS value,
       any_value(rc.observed) AS observed, any_value(rc.source_id) AS source_id,
       any_value(rc.source_ref) AS source_ref, max(rc.base_weight) AS base_weight,
       count(DISTINCT rc.site_id) AS sites
FROM risk_components rc
JOIN sites s ON s.site_id = rc.site_id
LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
WHERE list_contains($site_ids, rc.site_id) AND rc.level = 'country' AND rc.dimension = 'labour'
GROUP BY s.country_iso3, rc.indicator
ORDER BY max(count(DISTINCT rc.site_id)) OVER (PARTITION BY s.country_iso3) DESC,
         s.country_iso3, base_weight DESC, rc.indicator
