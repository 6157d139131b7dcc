-- Build step: every site with what the Map page reads, joined once at build time (scores,
-- country name, a mineral bitmask, the H3 resolution-2 parent of the resolution-3 cell: the
-- index with its resolution field set to 2 and its resolution-3 digit set to 7, as h3's
-- cell_to_parent does), ordered by H3 cell so a cell's sites sit together.
-- Risk stays NULL where there is no evidence (unknown, not low). Also the site's province
-- (site_provinces: as the source gives it, else geocoded, with the basis) and what its site
-- visits found (site_findings: the latest visit's answers with its date and reference, and
-- the bitmasks the `finding` filter reads; 0 = nothing found or no visit).
-- evidence_level says which rung the scores stand on (site / mineral_country /
-- country / none).
INSERT INTO map_sites BY NAME
SELECT
    s.site_id, s.name, s.tier, s.lat, s.lon, s.geo_precision, s.geo_note, s.outside_country,
    s.country_iso3, c.name AS country_name, s.minerals,
    coalesce(mb.bits, 0::UHUGEINT) AS mineral_bits,
    s.h3_r3, s.h3_r5,
    lower(hex(((('0x' || s.h3_r3)::UBIGINT & ~(15::UBIGINT << 52)) | (2::UBIGINT << 52))
              | (7::UBIGINT << 36))) AS h3_r2,
    s.source_id, s.source_ref, s.geo_method,
    r.labour, r.environment, r.labour_coverage, r.environment_coverage,
    p.province, p.province_basis, p.province_key,
    coalesce(f.latest_bits, 0) AS finding_latest_bits,
    coalesce(f.any_bits, 0) AS finding_any_bits,
    CAST(f.latest_visit_date AS VARCHAR) AS latest_visit_date, f.latest_visit_ref,
    f.finding_child_labour, f.finding_forced_labour, f.finding_armed_presence,
    f.finding_armed_interference, f.finding_illegal_taxation, f.finding_mercury, f.finding_women,
    coalesce(r.evidence_level, 'none') AS evidence_level
FROM sites s
LEFT JOIN site_risk r ON r.site_id = s.site_id
LEFT JOIN site_provinces p ON p.site_id = s.site_id
LEFT JOIN site_findings f ON f.site_id = s.site_id
LEFT JOIN countries c ON c.country_iso3 = s.country_iso3
-- the bits of each distinct mineral list, computed once per list rather than once per site
-- (a subquery per site was the slowest part of deriving ten million synthetic sites)
LEFT JOIN (
    SELECT l.minerals,
           (SELECT bit_or(1::UHUGEINT << b.bit::UHUGEINT) FROM mineral_bits b
            WHERE list_contains(l.minerals, b.mineral)) AS bits
    FROM (SELECT DISTINCT minerals FROM sites) l
) mb ON mb.minerals = s.minerals
ORDER BY s.h3_r3 NULLS LAST, s.h3_r5 NULLS LAST, s.site_id
