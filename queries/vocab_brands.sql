-- Brands for the brand filter: id and display name.
SELECT brand_id, name FROM brands ORDER BY lower(name), brand_id
