-- Sites in the atlas: a connection that can read this reads the database.
SELECT count(*) FROM sites
