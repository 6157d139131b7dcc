-- How one site's point was placed: each merged record with how it joined the site (RMI ID or a
-- name match, with score and basis) and how it was itself placed; then the candidate records
-- of other sources that resemble it but were not merged. Params: $site_id
SELECT
    'merged' AS status, r.source_id, r.source_ref, r.name, r.match_method,
    r.match_score, r.match_basis AS basis, r.geo_method, r.placed_by
FROM site_records r
WHERE r.site_id = $site_id
UNION ALL
SELECT
    'candidate, not merged' AS status, c.source_id, c.source_ref, c.candidate_name AS name,
    'name_country_mineral' AS match_method, c.score AS match_score, c.basis,
    NULL AS geo_method, NULL AS placed_by
FROM match_candidates c
WHERE c.site_id = $site_id
ORDER BY status DESC, match_score DESC NULLS LAST, source_id, source_ref
