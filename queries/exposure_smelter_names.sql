-- Names of smelters and refiners, for the sentences that explain an inferred row.
-- Params: $cols (VARCHAR[], the columns sites has of site_id, name).
SELECT COLUMNS(lambda c: list_contains($cols, c)) FROM sites WHERE tier = 'smelter_refiner'
