-- The reports each curated e-waste site cites (site_facts 'citation', written by the
-- curated_ewaste adapter as 'Title. Publisher, Year. URL'; 'case_citation' of the ejatlas adapter
-- in the same shape), oldest first, for map tooltips.
SELECT f.site_id, f.observed_on, f.value AS citation
FROM site_facts f
JOIN sites s ON s.site_id = f.site_id
WHERE s.tier = 'ewaste' AND f.fact IN ('citation', 'case_citation')
ORDER BY f.site_id, f.observed_on, f.value
