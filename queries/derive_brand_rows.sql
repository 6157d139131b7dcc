-- Build step: the Map's brand rows precomputed for the views readers open most, one brand with
-- one mineral or with every mineral ('*'), and no year: per brand x mineral_key x site x kind,
-- the row view_rows_brands.sql would aggregate from brand_hits (the same expressions; a test
-- compares both routes), plus the site-level columns the other filters read (tier, country,
-- province, findings, evidence: each group is one site, so filtering the hits then
-- aggregating is filtering these rows). Sorted by brand and mineral_key so DuckDB's zone maps
-- skip every other brand's row groups, then kind and labour risk.
-- A group of one hit (most of them) is that hit's row as the aggregate would give it
-- (a list of one value is that value), so only groups of several hits are aggregated (all
-- aggregated, this step took 236 of the 384 s of a million-site synthetic atlas).
-- Run once per brand ($brand, in brand order: riskatlas/derived.py), so memory is bounded by
-- the largest brand (all at once, ten million synthetic sites ran out of 5 GB).
-- Why: at a million sites, aggregating a brand's hits on every filter change was most of the
-- Map's table route (bench/RESULTS.md, issue 19 item 5).
-- Params: $brand (VARCHAR).
INSERT INTO brand_rows BY NAME
WITH h AS (
    SELECT *, '*' AS mineral_key FROM brand_hits WHERE brand_id = $brand
    UNION ALL
    SELECT *, mineral AS mineral_key FROM brand_hits
    WHERE brand_id = $brand AND mineral IS NOT NULL
), groups AS (  -- from the narrow columns only
    SELECT brand_id, '*' AS mineral_key, site_id, kind, count(*) AS n_hits
    FROM brand_hits WHERE brand_id = $brand
    GROUP BY brand_id, site_id, kind
    UNION ALL
    SELECT brand_id, mineral AS mineral_key, site_id, kind, count(*) AS n_hits
    FROM brand_hits WHERE brand_id = $brand AND mineral IS NOT NULL
    GROUP BY brand_id, mineral, site_id, kind
), sized AS (
    SELECT h.*, g.n_hits
    FROM h JOIN groups g USING (brand_id, mineral_key, site_id, kind)
), rows AS (
    SELECT
        h.brand_id, h.mineral_key,
        h.site_id, h.name, h.tier, h.lat, h.lon, h.geo_precision, h.geo_note, h.outside_country,
        h.country_iso3, h.country_name, h.minerals, h.h3_r2, h.h3_r3, h.h3_r5, h.kind,
        nullif(h.brand_name, '') AS brands,
        nullif(h.mineral, '') AS link_minerals,
        CASE WHEN h.kind = 'documented' THEN nullif(CAST(h.year AS VARCHAR), '') END
            AS link_years,
        nullif(h.relation, '') AS relation,
        nullif(h.route, '') AS route,
        nullif(h.via_name, '') AS via,
        nullif(h.source_id, '') AS source_id,
        nullif(h.source_ref, '') AS source_ref,
        nullif(h.status_as_reported, '') AS status_as_reported,
        h.explanation,
        CASE WHEN h.kind = 'documented' THEN 1::BIGINT END AS n_links,
        CASE WHEN h.kind = 'inferred' THEN 1::BIGINT END AS n_routes,
        h.site_source_id, h.site_source_ref, h.geo_method,
        h.labour, h.environment, h.labour_coverage, h.environment_coverage,
        h.province, h.province_basis, h.latest_visit_date, h.latest_visit_ref,
        h.finding_child_labour, h.finding_forced_labour, h.finding_armed_presence,
        h.finding_armed_interference, h.finding_illegal_taxation, h.finding_mercury,
        h.finding_women, h.evidence_level, h.province_key, h.finding_latest_bits,
        h.finding_any_bits
    FROM sized AS h
    WHERE h.n_hits = 1
    UNION ALL BY NAME
    SELECT
        h.brand_id, h.mineral_key,
        h.site_id, any_value(h.name) AS name, any_value(h.tier) AS tier,
        any_value(h.lat) AS lat, any_value(h.lon) AS lon,
        any_value(h.geo_precision) AS geo_precision, any_value(h.geo_note) AS geo_note,
        any_value(h.outside_country) AS outside_country,
        any_value(h.country_iso3) AS country_iso3, any_value(h.country_name) AS country_name,
        any_value(h.minerals) AS minerals, any_value(h.h3_r2) AS h3_r2,
        any_value(h.h3_r3) AS h3_r3,
        any_value(h.h3_r5) AS h3_r5, h.kind,
        nullif(array_to_string(list_sort(list_distinct(list(h.brand_name))), '; '), '') AS brands,
        nullif(array_to_string(list_sort(list_distinct(list(h.mineral))), '; '), '')
            AS link_minerals,
        CASE WHEN h.kind = 'documented' THEN nullif(array_to_string(
            list_sort(list_distinct(list(CAST(h.year AS VARCHAR)))), '; '), '') END AS link_years,
        nullif(array_to_string(list_sort(list_distinct(list(h.relation))), '; '), '') AS relation,
        nullif(array_to_string(list_sort(list_distinct(list(h.route))), '; '), '') AS route,
        nullif(array_to_string(list_sort(list_distinct(list(h.via_name))), '; '), '') AS via,
        nullif(array_to_string(list_sort(list_distinct(list(h.source_id))), '; '), '') AS source_id,
        nullif(array_to_string(list_sort(list_distinct(list(h.source_ref))), '; '), '')
            AS source_ref,
        nullif(array_to_string(list_sort(list_distinct(list(h.status_as_reported))), '; '),
            '') AS status_as_reported,
        min(h.explanation) AS explanation,
        CASE WHEN h.kind = 'documented' THEN count(*) END AS n_links,
        CASE WHEN h.kind = 'inferred'
            THEN len(list_distinct(list((h.mineral, h.route, h.via_site_id, h.source_ref)))) END
            AS n_routes,
        any_value(h.site_source_id) AS site_source_id,
        any_value(h.site_source_ref) AS site_source_ref, any_value(h.geo_method) AS geo_method,
        any_value(h.labour) AS labour, any_value(h.environment) AS environment,
        any_value(h.labour_coverage) AS labour_coverage,
        any_value(h.environment_coverage) AS environment_coverage,
        any_value(h.province) AS province,
        any_value(h.province_basis) AS province_basis,
        any_value(h.latest_visit_date) AS latest_visit_date,
        any_value(h.latest_visit_ref) AS latest_visit_ref,
        any_value(h.finding_child_labour) AS finding_child_labour,
        any_value(h.finding_forced_labour) AS finding_forced_labour,
        any_value(h.finding_armed_presence) AS finding_armed_presence,
        any_value(h.finding_armed_interference) AS finding_armed_interference,
        any_value(h.finding_illegal_taxation) AS finding_illegal_taxation,
        any_value(h.finding_mercury) AS finding_mercury,
        any_value(h.finding_women) AS finding_women,
        any_value(h.evidence_level) AS evidence_level,
        any_value(h.province_key) AS province_key,
        any_value(h.finding_latest_bits) AS finding_latest_bits,
        any_value(h.finding_any_bits) AS finding_any_bits
    FROM sized AS h
    WHERE h.n_hits > 1
    GROUP BY h.brand_id, h.mineral_key, h.site_id, h.kind
)
SELECT * FROM rows
ORDER BY brand_id, mineral_key, kind, labour DESC NULLS LAST, site_id
