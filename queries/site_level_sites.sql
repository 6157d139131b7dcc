-- Sites with site-level evidence beyond their scored components (risk step): an IPIS visit on
-- site (dated, even when none of the scored questions was answered) or a documented conflict
-- linked with a stated basis. Their evidence_level is 'site'.
SELECT site_id FROM site_facts
WHERE fact = 'visit_onsite' AND lower(value) = 'yes' AND site_id IS NOT NULL
UNION
SELECT site_id FROM conflict_links WHERE site_id IS NOT NULL
