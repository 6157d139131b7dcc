-- Let go of the real atlas once the synthetic one is written.
DETACH r
