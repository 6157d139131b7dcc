-- The indexes a careful publisher adds to the SQLite copy once it is filled, and its statistics
-- (bench/datasette_cmp.py). Run as one script.
CREATE INDEX links_brand_mineral ON links (brand_id, mineral);
CREATE INDEX inferred_brand_mineral ON inferred_exposure (brand_id, mineral);
ANALYZE;
