-- Brand and site pairs some disclosure links (riskatlas.exposure: an inferred row never repeats
-- a documented link).
-- Params: $cols (VARCHAR[], the columns links has of brand_id, site_id).
SELECT DISTINCT COLUMNS(lambda c: list_contains($cols, c)) FROM links WHERE site_id IS NOT NULL
