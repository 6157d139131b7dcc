-- Countries of the sites a place name points at: sites named so (by a word of the name), or in a
-- city or province of that name (riskatlas.names: "Kolwezi" -> COD, "Jiangsu" -> CHN).
-- Countries holding under a tenth of the matches are left out (a misplaced record, a company
-- named after a province abroad). Params: $text (lower-case)
WITH hits AS (
    SELECT country_iso3, count(*) AS sites
    FROM sites
    WHERE country_iso3 IS NOT NULL
      AND (contains(lower(name), $text) OR lower(city) = $text OR lower(province) = $text)
    GROUP BY country_iso3
)
SELECT country_iso3, sites
FROM hits
WHERE sites * 10 >= (SELECT sum(sites) FROM hits)
ORDER BY sites DESC, country_iso3
LIMIT 3
