-- Every brand-listed smelter site still at country level (or not placed), with the reason,
-- why no finer rule placed it (grouped, for the closing figures), the number of similar
-- located records listed for a maintainer, the brands that list it and its RMI status: the
-- CSV a researcher works through.
WITH listed AS (
    SELECT site_id, string_agg(DISTINCT b.name, '; ' ORDER BY b.name) AS brands
    FROM links l JOIN brands b USING (brand_id)
    WHERE l.relation = 'lists_smelter'
    GROUP BY site_id
),
cand AS (
    SELECT site_id, count(*) AS n FROM match_candidates GROUP BY site_id
),
rmi AS (
    SELECT DISTINCT site_id FROM site_records WHERE source_id = 'rmi'
),
retired AS (
    SELECT DISTINCT site_id FROM site_records WHERE source_id = 'rmi_retired'
)
SELECT
    l.site_id,
    s.name,
    s.country_iso3,
    array_to_string(s.minerals, '; ') AS minerals,
    coalesce(s.geo_precision, 'not placed') AS geo_precision,
    coalesce(s.geo_method, 'none') AS geo_method,
    coalesce(s.geo_note, 'no site record') AS reason,
    CASE
        WHEN s.country_iso3 IS NULL
            THEN 'no country: the list gives none and the name names none'
        WHEN coalesce(c.n, 0) > 0
            THEN 'similar located records, none sure enough (listed by `matches`)'
        WHEN r.site_id IS NOT NULL
            THEN 'RMI gives no city or province; no known place or located record in the name'
        WHEN t.site_id IS NOT NULL
            THEN 'an ID RMI removed or no longer lists; no known place or located record in the name'
        ELSE 'an ID RMI''s lists do not carry; no known place or located record in the name'
    END AS why_not_finer,
    coalesce(c.n, 0) AS candidates,
    l.brands
FROM listed l
LEFT JOIN sites s USING (site_id)
LEFT JOIN cand c USING (site_id)
LEFT JOIN rmi r USING (site_id)
LEFT JOIN retired t USING (site_id)
WHERE s.geo_precision IS NULL OR s.geo_precision = 'country'
ORDER BY s.country_iso3 NULLS LAST, l.site_id
