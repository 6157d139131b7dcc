-- The SQLite copy Datasette serves (bench/datasette_cmp.py): the tables and columns the
-- hotspot join reads, with SQLite types (REAL so that Datasette's text parameters compare as
-- numbers) and the primary keys a careful publisher declares. Run as one script.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE sites (
    site_id TEXT PRIMARY KEY,
    name TEXT,
    tier TEXT,
    country_iso3 TEXT,
    lat REAL,
    lon REAL,
    geo_precision TEXT,
    source_id TEXT,
    source_ref TEXT
);
CREATE TABLE site_risk (
    site_id TEXT PRIMARY KEY,
    labour REAL,
    environment REAL,
    labour_coverage REAL,
    environment_coverage REAL
);
CREATE TABLE links (
    brand_id TEXT,
    site_id TEXT,
    relation TEXT,
    mineral TEXT,
    year INTEGER,
    source_id TEXT,
    source_ref TEXT
);
CREATE TABLE inferred_exposure (
    brand_id TEXT,
    site_id TEXT,
    mineral TEXT,
    route TEXT,
    source_id TEXT,
    source_ref TEXT
);
CREATE TABLE brands (
    brand_id TEXT PRIMARY KEY,
    name TEXT
);
