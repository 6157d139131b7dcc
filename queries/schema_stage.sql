-- Frames passed between steps inside the build, never written to the atlas: declared here so
-- their columns are named once (riskatlas.schema, area "stage").

-- records: candidate sites, one per source record, as every adapter returns them before
-- geocoding and entity resolution (riskatlas.sources.base.RECORD_COLUMNS). An adapter may add
-- columns after these (they are kept for resolution, e.g. group_names).
CREATE TABLE records (
    source_ref VARCHAR,
    name VARCHAR,
    tier VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    country_iso3 VARCHAR,
    country_raw VARCHAR,
    province VARCHAR,
    city VARCHAR,
    address VARCHAR,
    minerals VARCHAR[],
    rmi_id VARCHAR
);
