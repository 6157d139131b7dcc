-- Rows in each derived table (the build's progress line and tests).
SELECT
    (SELECT count(*) FROM mineral_bits) AS mineral_bits,
    (SELECT count(*) FROM site_findings) AS site_findings,
    (SELECT count(*) FROM map_sites) AS map_sites,
    (SELECT count(*) FROM mineral_rows) AS mineral_rows,
    (SELECT count(*) FROM brand_hits) AS brand_hits,
    (SELECT count(*) FROM brand_rows) AS brand_rows,
    (SELECT count(*) FROM hotspots) AS hotspots,
    (SELECT count(*) FROM unplaced_links) AS unplaced_links,
    (SELECT count(*) FROM mineral_counts) AS mineral_counts,
    (SELECT count(*) FROM mineral_cells) AS mineral_cells,
    (SELECT count(*) FROM mineral_top) AS mineral_top
