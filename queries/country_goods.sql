-- ILAB goods-list findings for one country (child / forced labour by good). Params: $country
SELECT good, mineral, child_labor, forced_labor, source_id
FROM goods_risk
WHERE country_iso3 = $country
ORDER BY good
