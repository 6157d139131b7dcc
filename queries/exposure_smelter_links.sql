-- Documented brand -> smelter links with a site and a mineral: where inferred exposure starts
-- (riskatlas.exposure; a column the table lacks is NULL).
-- Params: $cols (VARCHAR[], the columns links has of those wanted).
SELECT COLUMNS(lambda c: list_contains($cols, c))
FROM links
WHERE relation = 'lists_smelter' AND site_id IS NOT NULL AND mineral IS NOT NULL
