-- Sites, located sites and links of an atlas measured by the bench (bench/__main__.py).
SELECT (SELECT count(*) FROM sites) AS sites,
       (SELECT count(lat) FROM sites) AS located,
       (SELECT count(*) FROM links) AS links
