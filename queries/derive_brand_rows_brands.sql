-- The brands of brand_hits in order: derive_brand_rows.sql runs once per brand (memory bounded
-- by the largest brand), and brand order keeps brand_rows sorted by brand.
SELECT DISTINCT brand_id FROM brand_hits WHERE brand_id IS NOT NULL ORDER BY brand_id
