-- Distinct minerals in the build's mineral_bits table (the bitmask holds a fixed number).
SELECT count(*) FROM mineral_bits
