-- Build step: the documented-conflict tables exist even in a build without EJAtlas
-- (`build --skip ejatlas`), empty, so the Map layer, the Site page and the risk step read them
-- the same way. Columns as the ejatlas adapter (conflicts) and riskatlas.conflict_links write them.
CREATE TABLE IF NOT EXISTS conflicts (
    conflict_id VARCHAR, slug VARCHAR, name VARCHAR, url VARCHAR, lat DOUBLE, lon DOUBLE,
    country_iso3 VARCHAR, commodities VARCHAR[], minerals VARCHAR[], companies VARCHAR[],
    company_countries VARCHAR[], intensity VARCHAR, intensity_text VARCHAR,
    project_status VARCHAR, categories VARCHAR[], types VARCHAR[],
    environmental_impacts VARCHAR[], health_impacts VARCHAR[], socio_economic_impacts VARCHAR[],
    last_update DATE, is_ewaste BOOLEAN, ewaste_rule VARCHAR, attributes_missing BOOLEAN,
    source_ref VARCHAR, source_id VARCHAR
);
CREATE TABLE IF NOT EXISTS conflict_links (
    conflict_id VARCHAR, site_id VARCHAR, basis VARCHAR, distance_km DOUBLE,
    matched_company VARCHAR, matched_name VARCHAR, matched_minerals VARCHAR[],
    source_id VARCHAR, source_ref VARCHAR
);
