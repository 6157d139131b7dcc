-- Ambiguous cross-source name matches for a maintainer: never merged, best first per site.
SELECT
    c.site_id,
    s.name AS site_name,
    s.country_iso3,
    c.source_id,
    c.source_ref,
    c.candidate_name,
    c.score,
    c.basis
FROM match_candidates c LEFT JOIN sites s USING (site_id)
WHERE $min_score IS NULL OR c.score >= $min_score
ORDER BY c.score DESC, c.site_id, c.source_id, c.source_ref
