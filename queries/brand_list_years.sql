-- The years a brand's own lists cover (documented links only), oldest first: the report's
-- "changes since" section compares the report year with the list before it.
-- Params: $brand_id.
SELECT DISTINCT year FROM links
WHERE brand_id = $brand_id AND relation LIKE 'lists_%' AND year IS NOT NULL
ORDER BY year
