-- Countries of the sites a place name points at: sites named so (by a word of the name), in a
-- city or province of that name, or whose places the Site page's search knows by those words
-- (riskatlas.names: "Kolwezi" -> COD, "Jiangsu" -> CHN, "Rubaya" -> COD).
-- Countries holding under a tenth of the matches are left out (a misplaced record, a company
-- named after a province abroad). Params: $text (lower-case)
WITH matched AS (
    SELECT site_id
    FROM sites
    WHERE contains(lower(name), $text) OR lower(city) = $text OR lower(province) = $text
    UNION
    -- every word a whole word of the site's names or places, as the Site page's search reads
    -- them (site_search: IPIS village, groupement, trading place; "Rubaya" -> COD)
    SELECT k.site_id
    FROM site_search k
    WHERE len(list_filter(string_split($text, ' '), lambda w:
              NOT contains(' ' || k.text_key || ' ', ' ' || w || ' '))) = 0
), hits AS (
    SELECT s.country_iso3, count(*) AS sites
    FROM sites s
    JOIN matched USING (site_id)
    WHERE s.country_iso3 IS NOT NULL
    GROUP BY s.country_iso3
)
SELECT country_iso3, sites
FROM hits
WHERE sites * 10 >= (SELECT sum(sites) FROM hits)
ORDER BY sites DESC, country_iso3
LIMIT 3
