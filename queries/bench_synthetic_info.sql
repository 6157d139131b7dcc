-- How a synthetic atlas was made, kept in it.
-- Params: $n_sites, $seed, $real_db, $method (VARCHAR).
CREATE TABLE synthetic_info AS
SELECT *
FROM (VALUES ('n_sites', $n_sites), ('seed', $seed), ('real_db', $real_db),
             ('method', $method)) t(key, value)
