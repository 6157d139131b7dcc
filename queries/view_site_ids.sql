-- The sites of the Map's view (which contributions concern a site in the view, with a brand or
-- a year chosen). Params: those of view_kept.
SELECT DISTINCT site_id
FROM {{view_kept}} AS k
ORDER BY site_id
