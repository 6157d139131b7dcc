-- The e-waste recycling rate under the UNITAR definition (recycled / e-waste generated) for the
-- World and for the UN region of one country: context for that definition only, never a value
-- of the country itself. Params: $country
SELECT r.entity, r.year, r.value, r.definition, r.source_id
FROM ewaste_recycling_regions r
WHERE r.definition = 'unitar'
  AND (r.entity = 'World'
       OR r.entity = (
           SELECT CASE WHEN c.region = 'Americas' THEN c.subregion ELSE c.region END || ' (UN)'
           FROM countries c
           WHERE c.country_iso3 = $country))
ORDER BY r.entity = 'World', r.entity, r.year
