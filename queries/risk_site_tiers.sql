-- Every site and its tier: the sites a risk score is computed for (riskatlas.risk.score).
SELECT site_id, tier FROM sites
