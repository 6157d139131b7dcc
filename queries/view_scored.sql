-- The Map's rows with `score`/`coverage` = the chosen dimension (included by view_kept and
-- view_counts, never run alone). Its rows are view_rows_sites or view_rows_brands, chosen
-- by riskatlas.view (a brand or not), so each query plans only the rows it can return.
-- Params: those of the rows query, $dimension ('labour' | 'environment').
SELECT
    *,
    CASE WHEN $dimension = 'environment' THEN environment ELSE labour END AS score,
    CASE WHEN $dimension = 'environment' THEN environment_coverage ELSE labour_coverage END
        AS coverage
FROM {{view_rows}} AS r
