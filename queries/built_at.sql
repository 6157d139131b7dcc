-- When the atlas was built (build_info), for a report's or a check's footnote.
SELECT value FROM build_info WHERE key = 'built_at'
