-- Rejected rows per source and reason (what the Sources page summarises).
SELECT source_id, reason, count(*) AS rows
FROM rejects
GROUP BY source_id, reason
ORDER BY source_id, rows DESC, reason
