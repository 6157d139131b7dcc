-- The atlas's source tables: what the build writes from the adapters' output (riskatlas.build),
-- before scoring. The one declaration of their columns and types (riskatlas.schema reads it):
-- the build creates each table from here and inserts by column name, the test fixtures create
-- theirs from here, and tests/test_schema.py checks a real build against it, so a column added,
-- dropped or retyped anywhere else fails a test. Table and column names are contracts: the
-- pages, the exports and the bench read them.
-- One CREATE per table, nothing else (riskatlas.schema splits on the statements).

-- One row per public dataset (riskatlas.sources.*.SOURCE): what the Sources page shows,
-- with the counts that prove nothing was lost (rows_in = rows_loaded + rows_rejected).
CREATE TABLE sources (
    source_id VARCHAR,
    title VARCHAR,
    publisher VARCHAR,
    url VARCHAR,
    licence VARCHAR,
    data_date VARCHAR,
    rows_in BIGINT,
    rows_loaded BIGINT,
    rows_rejected BIGINT,
    folder VARCHAR,
    files VARCHAR[],
    file_sha256 VARCHAR,
    notes VARCHAR
);

-- One row per resolved site (riskatlas.resolve); coordinates only where a source or a geocoder
-- placed it (geo_precision, geo_method, geo_note say how). h3_r3/h3_r5: the Map's cells.
CREATE TABLE sites (
    site_id VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    country_iso3 VARCHAR,
    minerals VARCHAR[],
    source_id VARCHAR,
    source_ref VARCHAR,
    geo_method VARCHAR,
    geo_note VARCHAR,
    province VARCHAR,
    city VARCHAR,
    n_records BIGINT,
    outside_country BOOLEAN,
    h3_r3 VARCHAR,
    h3_r5 VARCHAR
);

-- Every source record and the site it was resolved into, with the basis of the match.
CREATE TABLE site_records (
    site_id VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    name VARCHAR,
    match_method VARCHAR,
    match_score DOUBLE,
    placed_by VARCHAR,
    match_basis VARCHAR,
    geo_method VARCHAR,
    match VARCHAR
);

-- Near matches that were not merged, kept so a reviewer can see why (riskatlas.resolve).
CREATE TABLE match_candidates (
    site_id VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    score DOUBLE,
    basis VARCHAR,
    candidate_name VARCHAR
);

-- One row per brand named by a disclosure (riskatlas.brands).
CREATE TABLE brands (
    brand_id VARCHAR,
    name VARCHAR
);

-- Documented brand -> site links, one per row of a brand's own disclosure, as reported.
-- The *_as_reported and file columns come from the list adapters (samsung_rmr, sec_form_sd, apple).
CREATE TABLE links (
    brand_id VARCHAR,
    site_id VARCHAR,
    relation VARCHAR,
    mineral VARCHAR,
    year BIGINT,
    source_id VARCHAR,
    source_ref VARCHAR,
    status_as_reported VARCHAR,
    name_as_reported VARCHAR,
    country_as_reported VARCHAR,
    address_as_reported VARCHAR,
    direct_sourcing VARCHAR,
    indirect_sourcing VARCHAR,
    rmap_status VARCHAR,
    origin_as_reported DOUBLE,
    id_as_reported VARCHAR,
    resolved_by VARCHAR,
    match_score DOUBLE,
    rmi_id VARCHAR,
    file_name VARCHAR,
    file_sha256 VARCHAR,
    ref_in_file VARCHAR,
    sourcing_codes VARCHAR[],
    direct_sourcing_codes VARCHAR[],
    indirect_sourcing_codes VARCHAR[],
    sourcing_aggregated VARCHAR[],
    list_section VARCHAR,
    pdf_page DOUBLE,
    row_no DOUBLE,
    brand_as_reported VARCHAR,
    -- saved imports (saved_imports adapter): who saved and who approved each imported list
    saved_at VARCHAR,
    saved_by VARCHAR,
    stored_file VARCHAR,
    approved_by VARCHAR,
    approved_at VARCHAR,
    review_note VARCHAR,
    submission_id BIGINT
);

-- Facts a source states about a site (visits, findings, removals, conflict impacts).
CREATE TABLE site_facts (
    site_id VARCHAR,
    fact VARCHAR,
    value VARCHAR,
    observed_on DATE,
    source_id VARCHAR,
    source_ref VARCHAR
);

-- Country-level indicators, one value per country, indicator and year.
CREATE TABLE country_indicators (
    country_iso3 VARCHAR,
    indicator VARCHAR,
    year BIGINT,
    value DOUBLE,
    source_id VARCHAR,
    source_ref VARCHAR,
    flag VARCHAR
);

-- The ILAB List of Goods: goods (and their minerals) produced with child or forced labour.
CREATE TABLE goods_risk (
    good VARCHAR,
    mineral VARCHAR,
    country_iso3 VARCHAR,
    child_labor BOOLEAN,
    forced_labor BOOLEAN,
    source_id VARCHAR,
    forced_child_labor BOOLEAN,
    derived BOOLEAN,
    derived_country_iso3 VARCHAR,
    sector VARCHAR,
    source_ref VARCHAR,
    country_raw VARCHAR,
    region VARCHAR
);

-- Every source row that could not be used, with its reason and the raw text.
CREATE TABLE rejects (
    source_id VARCHAR,
    source_ref VARCHAR,
    reason VARCHAR,
    raw VARCHAR
);

-- Every name and place the sources give a site (riskatlas.places).
CREATE TABLE site_places (
    site_id VARCHAR,
    source_id VARCHAR,
    source_ref VARCHAR,
    field VARCHAR,
    value VARCHAR
);

-- ISO 3166 countries with their UN regions (country_codes adapter).
CREATE TABLE countries (
    country_iso3 VARCHAR,
    iso2 VARCHAR,
    name VARCHAR,
    region VARCHAR,
    subregion VARCHAR,
    official_name VARCHAR,
    cldr_name VARCHAR,
    intermediate_region VARCHAR,
    m49 VARCHAR,
    in_iso3166 BOOLEAN,
    source_id VARCHAR
);

-- Natural Earth country outlines and label points (natural_earth adapter).
CREATE TABLE country_shapes (
    country_iso3 VARCHAR,
    name VARCHAR,
    label_lon DOUBLE,
    label_lat DOUBLE,
    geojson VARCHAR,
    adm0_a3 VARCHAR,
    iso_parent VARCHAR,
    note VARCHAR,
    source_id VARCHAR
);

-- EJAtlas documented conflicts (ejatlas adapter); present, empty, in a build without it.
CREATE TABLE conflicts (
    conflict_id VARCHAR,
    slug VARCHAR,
    name VARCHAR,
    url VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    country_iso3 VARCHAR,
    commodities VARCHAR[],
    minerals VARCHAR[],
    companies VARCHAR[],
    company_countries VARCHAR[],
    intensity VARCHAR,
    intensity_text VARCHAR,
    project_status VARCHAR,
    categories VARCHAR[],
    types VARCHAR[],
    environmental_impacts VARCHAR[],
    health_impacts VARCHAR[],
    socio_economic_impacts VARCHAR[],
    last_update DATE,
    is_ewaste BOOLEAN,
    ewaste_rule VARCHAR,
    attributes_missing BOOLEAN,
    source_ref VARCHAR,
    source_id VARCHAR
);

-- Documented conflicts linked to atlas sites (riskatlas.conflict_links), with the basis.
CREATE TABLE conflict_links (
    conflict_id VARCHAR,
    site_id VARCHAR,
    basis VARCHAR,
    distance_km DOUBLE,
    matched_company VARCHAR,
    matched_name VARCHAR,
    matched_minerals VARCHAR[],
    source_id VARCHAR,
    source_ref VARCHAR
);

-- OWID e-waste recycling rates of world regions (owid_ewaste_recycling adapter).
CREATE TABLE ewaste_recycling_regions (
    entity VARCHAR,
    code VARCHAR,
    year BIGINT,
    value DOUBLE,
    definition VARCHAR,
    flag VARCHAR,
    source_id VARCHAR
);

-- ILAB country profiles: advancement level per country (ilab_countries adapter).
CREATE TABLE ilab_country_profiles (
    country_iso3 VARCHAR,
    advancement_level VARCHAR,
    description VARCHAR,
    webpage VARCHAR,
    country_name VARCHAR,
    region VARCHAR,
    multiple_territories VARCHAR,
    advancement_score DOUBLE,
    year BIGINT,
    source_id VARCHAR
);

-- Former and alternative names of RMI smelters (rmi_retired adapter).
CREATE TABLE rmi_aliases (
    smelter_id VARCHAR,
    alias VARCHAR,
    metal VARCHAR,
    country VARCHAR,
    basis VARCHAR,
    source_ref VARCHAR,
    source_id VARCHAR
);

-- The RMI smelter reference list (rmi adapter); the importer resolves names against it.
CREATE TABLE rmi_reference (
    smelter_id VARCHAR,
    metal VARCHAR,
    mineral VARCHAR,
    standard_smelter_name VARCHAR,
    country_iso3 VARCHAR,
    country_raw VARCHAR,
    state_province VARCHAR,
    city VARCHAR,
    aliases VARCHAR[],
    in_latest_template BOOLEAN,
    latest_template VARCHAR,
    templates_seen VARCHAR[],
    source_id VARCHAR
);

-- Eurostat WEEE collected and treated per country (eurostat_env_waselee adapter).
CREATE TABLE weee (
    country_iso3 VARCHAR,
    geo VARCHAR,
    waste VARCHAR,
    operation VARCHAR,
    unit VARCHAR,
    year BIGINT,
    value DOUBLE,
    flag VARCHAR,
    source_id VARCHAR
);

-- Key/value facts about the build (schema_version, built_at, counts).
CREATE TABLE build_info (
    key VARCHAR,
    value VARCHAR
);

