-- Save one contribution as pending (the contributions database); returns its new id.
-- Params: one per column below, named as the column.
INSERT INTO contributions (
    status, site_name, tier, description, event_date, evidence_url, contributor, site_id,
    country_iso3, country_raw, province, city, lat, lon, geo_precision, location_source,
    geo_note, minerals, submitted_at, submitted_via, upload_row, fingerprint
) VALUES (
    $status, $site_name, $tier, $description, $event_date, $evidence_url, $contributor, $site_id,
    $country_iso3, $country_raw, $province, $city, $lat, $lon, $geo_precision, $location_source,
    $geo_note, $minerals, $submitted_at, $submitted_via, $upload_row, $fingerprint
)
RETURNING contribution_id
