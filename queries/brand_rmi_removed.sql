-- "Listed but removed by RMI": smelters a brand's own list names that RMI removed from its
-- smelter list, with RMI's date and reason (a finding about the disclosure itself).
-- An empty $brand_ids lists every brand.
WITH listed AS (
    SELECT
        l.brand_id,
        l.site_id,
        min(l.year) AS first_year,
        max(l.year) AS last_year,
        string_agg(DISTINCT l.source_ref, ' | ' ORDER BY l.source_ref) AS listed_in
    FROM links l
    WHERE l.relation = 'lists_smelter' AND (len($brand_ids) = 0 OR list_contains($brand_ids, l.brand_id))
    GROUP BY l.brand_id, l.site_id
)
SELECT
    l.brand_id,
    b.name AS brand,
    l.site_id,
    s.name,
    s.country_iso3,
    array_to_string(s.minerals, ', ') AS minerals,
    l.last_year AS listed_year,
    f.observed_on AS removed_on,
    f.value AS rmi_status,
    f.source_id,
    f.source_ref,
    l.listed_in
FROM listed l
JOIN site_facts f ON f.site_id = l.site_id AND f.fact = 'rmi_removed'
JOIN brands b ON b.brand_id = l.brand_id
LEFT JOIN sites s ON s.site_id = l.site_id
ORDER BY b.name, f.observed_on, l.site_id
