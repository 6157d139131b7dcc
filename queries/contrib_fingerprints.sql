-- Contributions already saved with any of these fingerprints (the contributions database): a
-- record submitted twice is refused for its row.
-- Params: $prints (VARCHAR[]).
SELECT fingerprint, contribution_id
FROM contributions
WHERE fingerprint IN (SELECT unnest($prints))
