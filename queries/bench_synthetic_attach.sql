-- The real atlas a synthetic one is drawn from, attached read-only as r (bench/synthetic.py).
-- Params: $path (the real database file).
ATTACH $path AS r (READ_ONLY)
