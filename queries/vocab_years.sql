-- Years in which a brand list names a site (the year filter's options).
SELECT DISTINCT year FROM links WHERE year IS NOT NULL ORDER BY year
