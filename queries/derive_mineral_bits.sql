-- Build step: one bit per mineral (alphabetical), so the Map's mineral filter is one AND on an
-- integer column instead of a list search per site. 128 bits (UHUGEINT); derived.py checks.
INSERT INTO mineral_bits BY NAME
SELECT mineral, (row_number() OVER (ORDER BY mineral) - 1)::INTEGER AS bit
FROM (SELECT DISTINCT unnest(minerals) AS mineral FROM sites)
ORDER BY mineral
