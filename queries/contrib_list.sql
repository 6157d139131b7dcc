-- Stored contributions (the contributions database), oldest first: all of them, those of one
-- status, or the one with an id.
-- Params: $status (VARCHAR or NULL = every status), $id (INTEGER or NULL = every id).
SELECT contribution_id, status, site_name, tier, description, event_date, evidence_url,
       contributor, site_id, country_iso3, country_raw, province, city, lat, lon, geo_precision,
       location_source, geo_note, minerals, submitted_at, submitted_via, upload_row, reviewed_by,
       reviewed_at, review_note
FROM contributions
WHERE ($status::VARCHAR IS NULL OR status = $status::VARCHAR)
  AND ($id::INTEGER IS NULL OR contribution_id = $id::INTEGER)
ORDER BY contribution_id
