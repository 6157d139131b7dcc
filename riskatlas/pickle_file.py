"""Cache files as pickles: read back only when whole and of the expected type, written atomically."""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path

# What a truncated, foreign or outdated pickle raises when loaded: the cache is then ignored.
# ImportError: the pickled class has moved to another module (riskatlas.gazetteer -> riskatlas.geo).
_UNREADABLE = (
    OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
)  # fmt: skip


def read(path: Path, kind: type):
    """The object pickled at ``path`` if it is a ``kind``, else None (missing or unreadable:
    the caller recomputes, so a damaged cache costs time, never a wrong answer)."""
    try:
        with open(path, "rb") as f:
            got = pickle.load(f)
    except _UNREADABLE:
        return None
    return got if isinstance(got, kind) else None


def write(path: Path, obj) -> bool:
    """Pickle ``obj`` to ``path`` through a temporary file and a rename, so that a reader (or a
    second process building the same cache) never sees half a file. False when it could not be
    written: caches are optional."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):  # gone after the rename; left by a failed dump
            tmp.unlink(missing_ok=True)
    return True
