-- The synthetic sites: each drawn row g of the registered frame `gen` copies the real site
-- g.k with a new id, a marked name and the drawn point and H3 cells (no point stays no point);
-- synthetic_of keeps the real site's id for the copies of its links and scores.
-- Params: $width (digits of the id number).
CREATE TABLE sites AS
SELECT s.* EXCLUDE (k) REPLACE (
           'syn' || lpad(CAST(g.i AS VARCHAR), $width, '0') AS site_id,
           s.name || ' (synthetic ' || g.i || ')' AS name,
           CASE WHEN s.lat IS NULL THEN NULL ELSE g.lat END AS lat,
           CASE WHEN s.lat IS NULL THEN NULL ELSE g.lon END AS lon,
           CASE WHEN s.lat IS NULL OR g.r5 = 0 THEN NULL ELSE lower(hex(g.r5)) END AS h3_r5,
           CASE WHEN s.lat IS NULL OR g.r3 = 0 THEN NULL ELSE lower(hex(g.r3)) END AS h3_r3
       ),
       s.site_id AS synthetic_of
FROM gen g JOIN src s ON s.k = g.k
