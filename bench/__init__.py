"""Benchmarks of the atlas (run `python -m bench`): real and synthetic scales, side by side."""
