-- The first synthetic copy of each real site (an inferred row's smelter names one copy).
CREATE TEMP TABLE first_copy AS
SELECT synthetic_of, min(site_id) AS site_id FROM sites GROUP BY synthetic_of
