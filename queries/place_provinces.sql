-- Provinces of the sites a place name points at, for the Map's province filter
-- (riskatlas.names.province_names): sites whose names, aliases or places (site_search: IPIS
-- village, groupement, territoire, trading place; city, address) hold every typed word as a
-- whole word, as the Site page's search reads them ("Kolwezi" -> Lualaba, "Rubaya" -> Nord-Kivu).
-- Provinces holding under a tenth of the matches are left out.
-- Params: $words (VARCHAR[], folded by riskatlas.places.search_words)
WITH hits AS (
    SELECT p.province_key, count(DISTINCT k.site_id) AS sites
    FROM site_search k
    JOIN site_provinces p USING (site_id)
    WHERE len($words::VARCHAR[]) > 0
      AND len(list_filter($words::VARCHAR[], lambda w:
              NOT contains(' ' || k.text_key || ' ', ' ' || w || ' '))) = 0
    GROUP BY p.province_key
)
SELECT province_key, sites
FROM hits
WHERE sites * 10 >= (SELECT sum(sites) FROM hits)
ORDER BY sites DESC, province_key
LIMIT 3
