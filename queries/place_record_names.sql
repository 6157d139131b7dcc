-- The name each source gives a site (an atlas without site_places gets one from these).
SELECT site_id, source_id, source_ref, name FROM site_records
