-- Every brand-listed smelter site still at country level (or not placed), with the reason,
-- the brands that list it and its RMI status: the CSV a researcher works through.
WITH listed AS (
    SELECT site_id, string_agg(DISTINCT b.name, '; ' ORDER BY b.name) AS brands
    FROM links l JOIN brands b USING (brand_id)
    WHERE l.relation = 'lists_smelter'
    GROUP BY site_id
)
SELECT
    l.site_id,
    s.name,
    s.country_iso3,
    array_to_string(s.minerals, '; ') AS minerals,
    coalesce(s.geo_precision, 'not placed') AS geo_precision,
    coalesce(s.geo_method, 'none') AS geo_method,
    coalesce(s.geo_note, 'no site record') AS reason,
    l.brands
FROM listed l LEFT JOIN sites s USING (site_id)
WHERE s.geo_precision IS NULL OR s.geo_precision = 'country'
ORDER BY s.country_iso3 NULLS LAST, l.site_id
