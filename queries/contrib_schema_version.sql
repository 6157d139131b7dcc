-- Record the contributions file's schema version when it has none yet.
-- Params: $version.
INSERT OR IGNORE INTO meta VALUES ('schema_version', $version)
