-- Every site's names and place words, for the places and search tables (riskatlas.derived).
SELECT site_id, name, tier, country_iso3, province, city, source_id, source_ref
FROM sites
ORDER BY site_id
