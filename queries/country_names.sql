-- Every country's name by ISO3 code (the search rows of riskatlas.derived).
SELECT country_iso3, name FROM countries
