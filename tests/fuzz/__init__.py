"""Hypothesis harness that feeds every source adapter malformed copies of a real slice of its file.

Each example takes the header and ~20 real rows (features, elements) of the mirrored file, mutates
them (hostile cells, swapped or missing columns, truncated rows, wrong delimiters, encodings, BOMs,
broken bytes, missing sheets or elements), writes the result to a temporary raw directory and calls
the adapter. The adapter must either raise SourceError naming its source, or account for every row
it was given: ``rows_in`` equals the number of data rows in the file (counted independently here),
every reject has a reason, and what it loaded shows up in its tables with sane values.
"""
