-- Build step: per site, what its site visits found (riskatlas/findings.py is the catalogue).
-- A visit is one source_ref ('vid=N') of the findings source; the latest visit is the one with
-- the latest observed_on, then the highest visit id (as the IPIS adapter orders them). For each
-- finding: its answer at the latest visit ('yes' / 'no' / NULL = not asked there), and bitmasks
-- of the findings answered 'yes' at the latest visit (latest_bits) and at any visit (any_bits),
-- so the Map filters on one integer per site. Sites without a visit have no row.
-- Params: $finding_keys, $finding_facts (VARCHAR[], same order: bit i = the i-th finding),
-- $finding_source (VARCHAR).
INSERT INTO site_findings BY NAME
WITH facts AS (
    SELECT f.site_id, f.observed_on, f.source_ref, f.value,
           list_position($finding_facts::VARCHAR[], f.fact) AS pos,
           coalesce(TRY_CAST(regexp_extract(f.source_ref, '(\d+)$', 1) AS BIGINT), 0) AS vid
    FROM site_facts f
    WHERE f.source_id = $finding_source AND f.site_id IS NOT NULL
), visits AS (
    SELECT DISTINCT site_id, observed_on, source_ref, vid FROM facts
), latest AS (
    SELECT site_id,
           arg_max(source_ref, (observed_on, vid)) AS latest_visit_ref,
           max(observed_on) AS latest_visit_date,
           count(*) AS n_visits
    FROM visits
    GROUP BY site_id
), answers AS (
    SELECT f.site_id,
           coalesce(bit_or(1::INTEGER << (f.pos - 1))
                    FILTER (WHERE f.value = 'yes' AND f.source_ref = l.latest_visit_ref), 0)
               AS latest_bits,
           coalesce(bit_or(1::INTEGER << (f.pos - 1)) FILTER (WHERE f.value = 'yes'), 0)
               AS any_bits,
           map_from_entries(list((list_extract($finding_keys::VARCHAR[], f.pos), f.value))
                            FILTER (WHERE f.source_ref = l.latest_visit_ref)) AS latest
    FROM facts f
    JOIN latest l USING (site_id)
    WHERE f.pos > 0
    GROUP BY f.site_id
)
SELECT l.site_id, l.latest_visit_date, l.latest_visit_ref, l.n_visits,
       $finding_source::VARCHAR AS findings_source_id,
       coalesce(a.latest_bits, 0) AS latest_bits, coalesce(a.any_bits, 0) AS any_bits,
       a.latest['child_labour'] AS finding_child_labour,
       a.latest['forced_labour'] AS finding_forced_labour,
       a.latest['armed_presence'] AS finding_armed_presence,
       a.latest['armed_interference'] AS finding_armed_interference,
       a.latest['illegal_taxation'] AS finding_illegal_taxation,
       a.latest['mercury'] AS finding_mercury,
       a.latest['women'] AS finding_women
FROM latest l
LEFT JOIN answers a USING (site_id)
ORDER BY l.site_id
