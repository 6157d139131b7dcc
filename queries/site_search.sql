-- The Site page's finder: sites whose names, aliases, places (IPIS village, groupement,
-- collectivité, territoire, trading place; city, province, address), tier or country hold every
-- typed word, accents and case ignored (site_search, folded at build time by riskatlas.places;
-- the words are folded the same way by riskatlas.places.search_words). Ranked: the id itself,
-- then words that are whole words of the site's own name, of another name it goes by, of its
-- places; a word only inside a longer word counts least; then shorter names first.
-- Params: $text (what was typed, for an exact id), $words (VARCHAR[], folded words).
WITH scored AS (
    SELECT k.site_id,
           list_sum(list_transform($words::VARCHAR[], lambda w:
               CASE WHEN contains(' ' || k.name_key || ' ', ' ' || w || ' ') THEN 8
                    WHEN contains(' ' || k.names_key || ' ', ' ' || w || ' ') THEN 6
                    WHEN contains(k.names_key, w) THEN 4
                    WHEN contains(' ' || k.text_key || ' ', ' ' || w || ' ') THEN 2
                    ELSE 1 END)) AS score,
           k.places
    FROM site_search k
    WHERE len($words::VARCHAR[]) > 0
      AND len(list_filter($words::VARCHAR[], lambda w: NOT contains(k.text_key, w))) = 0
    UNION ALL
    SELECT s.site_id, 1000 AS score, k.places
    FROM sites s LEFT JOIN site_search k USING (site_id)
    WHERE lower(s.site_id) = lower($text)
)
SELECT s.site_id, s.name, s.tier, s.country_iso3, any_value(x.places) AS places
FROM scored x
JOIN sites s USING (site_id)
GROUP BY s.site_id, s.name, s.tier, s.country_iso3
ORDER BY max(x.score) DESC, length(s.name), s.name, s.site_id
LIMIT 50
