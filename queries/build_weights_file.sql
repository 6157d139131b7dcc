-- Which weights file the build read, its sha256, and when the atlas was built.
SELECT key, value
FROM build_info
WHERE key IN ('weights_file', 'weights_sha256', 'built_at')
