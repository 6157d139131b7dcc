"""A file's identity as its sha256: what the sources table records for every raw file, and what
keys the importer's cache.

Why its own module: the source adapters and the disclosure importer both need it, and neither
package may import the other's base to get it (riskatlas.sources uses riskatlas.importer, never
the reverse).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes, read 1 MB at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
