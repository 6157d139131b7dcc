-- The contributions database (riskatlas.contrib.store; its own file, never the atlas): people's
-- reports of sites, the import submissions queue, one append-only review log and a meta table.
-- The store creates what is missing from here on every write connection (IF NOT EXISTS), so an
-- older file gains new tables; see schema_core.sql for how this declaration is checked.

CREATE SEQUENCE contribution_id_seq START 1;

CREATE TABLE contributions (
    contribution_id INTEGER PRIMARY KEY DEFAULT nextval('contribution_id_seq'),
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    site_name VARCHAR NOT NULL,
    tier VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    evidence_url VARCHAR NOT NULL,
    contributor VARCHAR NOT NULL,
    site_id VARCHAR,
    country_iso3 VARCHAR NOT NULL,
    country_raw VARCHAR,
    province VARCHAR,
    city VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,
    location_source VARCHAR,
    geo_note VARCHAR,
    minerals VARCHAR[],
    submitted_at TIMESTAMP NOT NULL,
    submitted_via VARCHAR NOT NULL,
    upload_row INTEGER,
    fingerprint VARCHAR NOT NULL,
    reviewed_by VARCHAR,
    reviewed_at TIMESTAMP,
    review_note VARCHAR
);

-- One audit log for every review (contributions and import submissions), append-only: a
-- decision changed later is a new entry, never an edit of the old one.
CREATE TABLE review_log (
    kind VARCHAR NOT NULL CHECK (kind IN ('contribution', 'import')),
    item_id INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    previous_status VARCHAR NOT NULL,
    reviewed_by VARCHAR NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    review_note VARCHAR
);

CREATE SEQUENCE import_submission_id_seq START 1;

CREATE TABLE import_submissions (
    submission_id INTEGER PRIMARY KEY DEFAULT nextval('import_submission_id_seq'),
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    brand VARCHAR NOT NULL,
    year INTEGER,
    file_name VARCHAR NOT NULL,
    stored_file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    rows_read INTEGER,
    rows_rejected INTEGER,
    submitted_by VARCHAR,
    client VARCHAR,
    submitted_at TIMESTAMP NOT NULL,
    submitted_via VARCHAR NOT NULL,
    reviewed_by VARCHAR,
    reviewed_at TIMESTAMP,
    review_note VARCHAR
);

CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- Files made before the one log kept contribution reviews in a table `reviews`; the store moves
-- them into review_log once and `reviews` stays readable as this view.
CREATE VIEW reviews AS
SELECT item_id AS contribution_id, status, previous_status, reviewed_by, reviewed_at, review_note
FROM review_log
WHERE kind = 'contribution';
