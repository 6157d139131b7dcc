-- The minerals of map_sites in order: derive_mineral_rows.sql runs once per mineral (memory
-- bounded by the largest mineral), and mineral order keeps mineral_rows sorted by mineral.
SELECT mineral FROM mineral_bits ORDER BY mineral
