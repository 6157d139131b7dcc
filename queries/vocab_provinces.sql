-- Provinces of the sites (site_provinces): per folded key, its shortest name ('Jiangsu' rather
-- than GeoNames' 'Jiangsu Sheng'; then the alphabetical first), and the
-- countries it is in (the Map's province filter; the sidebar lists the chosen countries' ones).
SELECT p.province_key,
       arg_min(p.province, (length(p.province), p.province)) AS name,
       coalesce(list_sort(list_distinct(list(s.country_iso3)
                                        FILTER (WHERE s.country_iso3 IS NOT NULL))), [])
           AS countries
FROM site_provinces p
JOIN sites s USING (site_id)
GROUP BY p.province_key
ORDER BY p.province_key
