-- The atlas's derived tables: scores, inferred exposure and the precomputed tables the Map,
-- the Site page and the hotspot query read, written by the build after the source tables
-- (riskatlas.risk, riskatlas.exposure, riskatlas.derived). The derive_*.sql steps insert into
-- these by column name. See schema_core.sql for how this declaration is used.

-- One row per scored indicator of a site: value, weight, contribution and the
-- citation behind it (riskatlas.risk).
CREATE TABLE risk_components (
    site_id VARCHAR,
    dimension VARCHAR,
    indicator VARCHAR,
    value DOUBLE,
    weight DOUBLE,
    contribution DOUBLE,
    level VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    tier VARCHAR,
    raw_value VARCHAR,
    base_weight DOUBLE,
    decay DOUBLE,
    observed VARCHAR
);

-- The weights the last build scored with, per tier, dimension and indicator (weights.toml).
CREATE TABLE risk_weights (
    tier VARCHAR,
    dimension VARCHAR,
    indicator VARCHAR,
    weight DOUBLE,
    why VARCHAR,
    label VARCHAR,
    level VARCHAR,
    source VARCHAR,
    "table" VARCHAR,
    key VARCHAR,
    normalisation VARCHAR,
    half_life_years DOUBLE,
    rationale VARCHAR
);

-- Labour and environment scores per site with their coverage; NULL = unknown, not low.
CREATE TABLE site_risk (
    site_id VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    tier VARCHAR,
    labour_levels VARCHAR,
    environment_levels VARCHAR,
    labour_n BIGINT,
    environment_n BIGINT,
    evidence_level VARCHAR
);

-- Inferred brand -> mine routes (riskatlas.exposure), labelled inferred, never in links.
CREATE TABLE inferred_exposure (
    brand_id VARCHAR,
    site_id VARCHAR,
    mineral VARCHAR,
    route VARCHAR,
    via_site_id VARCHAR,
    via_country_iso3 VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    explanation VARCHAR,
    via_smelter_sourcing BOOLEAN,
    via_ilab_goods_list BOOLEAN,
    n_via_smelters BIGINT,
    source_ids VARCHAR[],
    tier VARCHAR,
    country_iso3 VARCHAR
);

-- Each site's province as the source gives it, else geocoded, with the basis.
CREATE TABLE site_provinces (
    site_id VARCHAR,
    province VARCHAR,
    province_key VARCHAR,
    province_basis VARCHAR
);

-- Folded search text per site (riskatlas.places), matched by the Site page's search.
CREATE TABLE site_search (
    site_id VARCHAR,
    name_key VARCHAR,
    names_key VARCHAR,
    text_key VARCHAR,
    places VARCHAR
);

-- One bit per mineral for the Map's mineral filter (queries/derive_mineral_bits.sql).
CREATE TABLE mineral_bits (
    mineral VARCHAR,
    bit INTEGER
);

-- What site visits found, per site (queries/derive_site_findings.sql).
CREATE TABLE site_findings (
    site_id VARCHAR,
    latest_visit_date DATE,
    latest_visit_ref VARCHAR,
    n_visits BIGINT,
    findings_source_id VARCHAR,
    latest_bits INTEGER,
    any_bits INTEGER,
    finding_child_labour VARCHAR,
    finding_forced_labour VARCHAR,
    finding_armed_presence VARCHAR,
    finding_armed_interference VARCHAR,
    finding_illegal_taxation VARCHAR,
    finding_mercury VARCHAR,
    finding_women VARCHAR
);

-- Every site with what the Map reads, joined once (queries/derive_map_sites.sql).
CREATE TABLE map_sites (
    site_id VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    geo_note VARCHAR,
    outside_country BOOLEAN,
    country_iso3 VARCHAR,
    country_name VARCHAR,
    minerals VARCHAR[],
    mineral_bits UHUGEINT,
    h3_r3 VARCHAR,
    h3_r5 VARCHAR,
    h3_r2 VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    geo_method VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    province VARCHAR,
    province_basis VARCHAR,
    province_key VARCHAR,
    finding_latest_bits INTEGER,
    finding_any_bits INTEGER,
    latest_visit_date VARCHAR,
    latest_visit_ref VARCHAR,
    finding_child_labour VARCHAR,
    finding_forced_labour VARCHAR,
    finding_armed_presence VARCHAR,
    finding_armed_interference VARCHAR,
    finding_illegal_taxation VARCHAR,
    finding_mercury VARCHAR,
    finding_women VARCHAR,
    evidence_level VARCHAR
);

-- Brand x mineral x site x kind x year rows for the Map's brand view
-- (queries/derive_brand_hits.sql).
CREATE TABLE brand_hits (
    brand_id VARCHAR,
    brand_name VARCHAR,
    mineral VARCHAR,
    kind VARCHAR,
    year BIGINT,
    site_id VARCHAR,
    relation VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    status_as_reported VARCHAR,
    route VARCHAR,
    via_site_id VARCHAR,
    via_name VARCHAR,
    via_country_iso3 VARCHAR,
    via_place VARCHAR,
    explanation VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    geo_note VARCHAR,
    outside_country BOOLEAN,
    country_iso3 VARCHAR,
    country_name VARCHAR,
    minerals VARCHAR[],
    h3_r2 VARCHAR,
    h3_r3 VARCHAR,
    h3_r5 VARCHAR,
    site_source_id VARCHAR,
    site_source_ref VARCHAR,
    geo_method VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    province VARCHAR,
    province_basis VARCHAR,
    province_key VARCHAR,
    finding_latest_bits INTEGER,
    finding_any_bits INTEGER,
    latest_visit_date VARCHAR,
    latest_visit_ref VARCHAR,
    finding_child_labour VARCHAR,
    finding_forced_labour VARCHAR,
    finding_armed_presence VARCHAR,
    finding_armed_interference VARCHAR,
    finding_illegal_taxation VARCHAR,
    finding_mercury VARCHAR,
    finding_women VARCHAR,
    evidence_level VARCHAR
);

-- The Map's brand rows precomputed for one brand with one mineral or every mineral ('*'), no
-- year: the rows view_rows_brands.sql aggregates, plus the site-level filter columns
-- (queries/derive_brand_rows.sql; read by queries/view_rows_brand_slice.sql).
CREATE TABLE brand_rows (
    brand_id VARCHAR,
    mineral_key VARCHAR,
    site_id VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    geo_note VARCHAR,
    outside_country BOOLEAN,
    country_iso3 VARCHAR,
    country_name VARCHAR,
    minerals VARCHAR[],
    h3_r2 VARCHAR,
    h3_r3 VARCHAR,
    h3_r5 VARCHAR,
    kind VARCHAR,
    brands VARCHAR,
    link_minerals VARCHAR,
    link_years VARCHAR,
    relation VARCHAR,
    route VARCHAR,
    via VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    status_as_reported VARCHAR,
    explanation VARCHAR,
    n_links BIGINT,
    n_routes BIGINT,
    site_source_id VARCHAR,
    site_source_ref VARCHAR,
    geo_method VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    province VARCHAR,
    province_basis VARCHAR,
    latest_visit_date VARCHAR,
    latest_visit_ref VARCHAR,
    finding_child_labour VARCHAR,
    finding_forced_labour VARCHAR,
    finding_armed_presence VARCHAR,
    finding_armed_interference VARCHAR,
    finding_illegal_taxation VARCHAR,
    finding_mercury VARCHAR,
    finding_women VARCHAR,
    evidence_level VARCHAR,
    province_key VARCHAR,
    finding_latest_bits INTEGER,
    finding_any_bits INTEGER
);

-- Every site once per mineral it names, sorted by mineral (then tier and H3 cell), so a
-- view without a brand filtered by one mineral reads one contiguous slice that DuckDB's zone
-- maps find (queries/derive_mineral_rows.sql; read by queries/view_rows_mineral_slice.sql).
CREATE TABLE mineral_rows (
    mineral_key VARCHAR,
    site_id VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    geo_note VARCHAR,
    outside_country BOOLEAN,
    country_iso3 VARCHAR,
    country_name VARCHAR,
    minerals VARCHAR[],
    h3_r3 VARCHAR,
    h3_r5 VARCHAR,
    h3_r2 VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    geo_method VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    province VARCHAR,
    province_basis VARCHAR,
    province_key VARCHAR,
    finding_latest_bits INTEGER,
    finding_any_bits INTEGER,
    latest_visit_date VARCHAR,
    latest_visit_ref VARCHAR,
    finding_child_labour VARCHAR,
    finding_forced_labour VARCHAR,
    finding_armed_presence VARCHAR,
    finding_armed_interference VARCHAR,
    finding_illegal_taxation VARCHAR,
    finding_mercury VARCHAR,
    finding_women VARCHAR,
    evidence_level VARCHAR
);

-- What the Map shows for a view without a brand and with one mineral or none and no other
-- filter (the views readers open first: the home page, a mineral), per mineral ('*' = every
-- site) and dimension, computed at build time by the view's own queries
-- (riskatlas/derived_views.py): the counts (queries/view_counts.sql) ...
CREATE TABLE mineral_counts (
    mineral_key VARCHAR,
    dimension VARCHAR,
    n_rows BIGINT,
    n_documented BIGINT,
    n_inferred BIGINT,
    n_sites BIGINT,
    n_unknown BIGINT,
    hidden_unknown BIGINT,
    n_located BIGINT,
    n_r5 BIGINT,
    n_r3 BIGINT,
    lat_range DOUBLE[],
    lon_range DOUBLE[],
    source_ids VARCHAR[],
    site_source_ids VARCHAR[],
    tier_kinds MAP(VARCHAR, UBIGINT)
);

-- ... the H3 cells at resolutions 5, 3 and 2 (queries/view_cells.sql) ...
CREATE TABLE mineral_cells (
    mineral_key VARCHAR,
    dimension VARCHAR,
    res INTEGER,
    hex VARCHAR,
    n BIGINT,
    n_unknown BIGINT,
    top DOUBLE,
    n_documented BIGINT,
    top_documented DOUBLE,
    n_inferred BIGINT,
    top_inferred DOUBLE,
    tiers VARCHAR,
    countries VARCHAR,
    sources VARCHAR
);

-- ... and the top rows of the ranked table with their rank (queries/view_ranked.sql; as many as
-- riskatlas.derived_views.TOP_ROWS).
CREATE TABLE mineral_top (
    mineral_key VARCHAR,
    dimension VARCHAR,
    rank BIGINT,
    site_id VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    geo_note VARCHAR,
    outside_country BOOLEAN,
    country_iso3 VARCHAR,
    country_name VARCHAR,
    minerals VARCHAR[],
    kind VARCHAR,
    brands VARCHAR,
    link_minerals VARCHAR,
    link_years VARCHAR,
    relation VARCHAR,
    route VARCHAR,
    via VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    status_as_reported VARCHAR,
    explanation VARCHAR,
    n_links BIGINT,
    n_routes BIGINT,
    site_source_id VARCHAR,
    site_source_ref VARCHAR,
    geo_method VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    province VARCHAR,
    province_basis VARCHAR,
    latest_visit_date VARCHAR,
    latest_visit_ref VARCHAR,
    finding_child_labour VARCHAR,
    finding_forced_labour VARCHAR,
    finding_armed_presence VARCHAR,
    finding_armed_interference VARCHAR,
    finding_illegal_taxation VARCHAR,
    finding_mercury VARCHAR,
    finding_women VARCHAR,
    evidence_level VARCHAR,
    score DOUBLE,
    coverage DOUBLE
);

-- Brand x mineral x site x kind with every citation (queries/derive_hotspots.sql).
CREATE TABLE hotspots (
    brand_id VARCHAR,
    brand_name VARCHAR,
    mineral VARCHAR,
    kind VARCHAR,
    site_id VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    country_iso3 VARCHAR,
    country_name VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    labour DOUBLE,
    environment DOUBLE,
    labour_coverage DOUBLE,
    environment_coverage DOUBLE,
    citations VARCHAR,
    first_year BIGINT,
    last_year BIGINT
);

-- Brand links whose site the atlas does not hold (queries/derive_unplaced_links.sql).
CREATE TABLE unplaced_links (
    brand_id VARCHAR,
    mineral VARCHAR,
    year BIGINT,
    site_id VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR
);

