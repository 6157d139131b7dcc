-- The build's site_places table (riskatlas.places), whole.
SELECT * FROM site_places
