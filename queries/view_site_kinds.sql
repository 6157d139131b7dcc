-- site_id, kind and country of every row of the Map's view (the Sankey's flows, and which
-- contributions concern a site in the view). Params: those of view_kept.
SELECT site_id, kind, country_iso3, country_name
FROM {{view_kept}} AS k
ORDER BY site_id, kind
