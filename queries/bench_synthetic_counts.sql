-- Rows of the synthetic atlas's main tables (the generator's report).
SELECT (SELECT count(*) FROM sites) AS sites,
       (SELECT count(*) FROM links) AS links,
       (SELECT count(*) FROM site_risk) AS site_risk
