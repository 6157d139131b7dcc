-- Sites whose id or name contains the text (the Site page's finder). Params: $text
SELECT site_id, name, tier, country_iso3
FROM sites
WHERE contains(lower(name), lower($text)) OR lower(site_id) = lower($text)
ORDER BY (lower(site_id) = lower($text)) DESC, length(name), site_id
LIMIT 50
