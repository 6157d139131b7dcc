-- Placement figures of issue 13: brand-listed smelter sites below country level, RMI facilities
-- at city-or-better and province-or-better, placed points outside their country.
WITH listed AS (
    SELECT DISTINCT site_id FROM links WHERE relation = 'lists_smelter'
),
brand AS (
    SELECT s.geo_precision FROM listed l LEFT JOIN sites s USING (site_id)
),
rmi AS (
    SELECT s.geo_precision
    FROM site_records r JOIN sites s USING (site_id)
    WHERE r.source_id = 'rmi'
)
SELECT
    (SELECT count(*) FROM brand) AS brand_sites,
    (SELECT count(*) FROM brand WHERE geo_precision IN ('exact', 'city', 'province')) AS brand_below_country,
    (SELECT count(*) FROM brand WHERE geo_precision = 'country') AS brand_country,
    (SELECT count(*) FROM brand WHERE geo_precision IS NULL) AS brand_unplaced,
    (SELECT count(*) FROM rmi) AS rmi_sites,
    (SELECT count(*) FROM rmi WHERE geo_precision IN ('exact', 'city')) AS rmi_city_or_better,
    (SELECT count(*) FROM rmi WHERE geo_precision IN ('exact', 'city', 'province')) AS rmi_province_or_better,
    (SELECT count(*) FROM sites WHERE outside_country) AS outside_country,
    (SELECT count(*) FROM sites
     WHERE outside_country AND geo_method IN ('name_place', 'matched_record'))
        AS outside_country_name_or_match
