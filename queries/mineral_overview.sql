-- Per mineral: sites by tier, sites with known labour risk, and brands with documented links.
WITH m AS (
    SELECT unnest(s.minerals) AS mineral, s.site_id, s.tier FROM sites s
), sites_per AS (
    SELECT m.mineral,
           count(DISTINCT m.site_id) AS sites,
           count(DISTINCT m.site_id) FILTER (WHERE m.tier = 'mine') AS mines,
           count(DISTINCT m.site_id) FILTER (WHERE m.tier = 'artisanal_mine') AS artisanal_mines,
           count(DISTINCT m.site_id) FILTER (WHERE m.tier = 'smelter_refiner') AS smelters_refiners,
           count(DISTINCT m.site_id) FILTER (WHERE r.labour IS NOT NULL) AS with_labour_score
    FROM m LEFT JOIN site_risk r ON r.site_id = m.site_id
    GROUP BY m.mineral
), brands_per AS (
    SELECT mineral, count(DISTINCT brand_id) AS brands_listing,
           count(DISTINCT site_id) AS documented_sites
    FROM links WHERE mineral IS NOT NULL GROUP BY mineral
)
SELECT coalesce(s.mineral, b.mineral) AS mineral,
       coalesce(s.sites, 0) AS sites, coalesce(s.mines, 0) AS mines,
       coalesce(s.artisanal_mines, 0) AS artisanal_mines,
       coalesce(s.smelters_refiners, 0) AS smelters_refiners,
       coalesce(s.with_labour_score, 0) AS with_labour_score,
       coalesce(b.brands_listing, 0) AS brands_listing,
       coalesce(b.documented_sites, 0) AS documented_sites
FROM sites_per s FULL OUTER JOIN brands_per b ON b.mineral = s.mineral
ORDER BY sites DESC, mineral
