"""The gazetteer index cached between builds, and prepared in a second process on a first build."""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import multiprocessing
import os
from pathlib import Path

from riskatlas import paths, pickle_file
from riskatlas.geo import gazetteer, subdivisions

# The cache key also hashes riskatlas/gazetteer.py, so editing the normalisation rebuilds the index.
CACHE_VERSION = 4  # 3: the class moved to riskatlas.geo; 4: GeoNames ids, subdivisions
KEEP_INDEXES = 3  # indexes kept in the cache directory (one per checkout and code version)


def _cache_path() -> Path:
    h = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    for module in (gazetteer, subdivisions):  # new normalisation: a new index
        h.update(Path(module.__file__).read_bytes())
    for p in gazetteer.source_files():
        st = p.stat()
        h.update(f"|{p}|{st.st_size}|{st.st_mtime_ns}".encode())
    return paths.cache_dir() / f"gazetteer-{h.hexdigest()[:16]}.pickle"


@functools.lru_cache(maxsize=1)
def load() -> gazetteer.Gazetteer:
    """The gazetteer, once per process: from the cache file (0.5 s) or built anew (5-10 s).

    Building means normalising about a million GeoNames names and alternate names, too slow to
    repeat on every build, so the result is pickled next to nothing else in the cache directory,
    keyed by the package files' size and mtime. A cache that cannot be read or written is
    ignored: the gazetteer is then built in memory.
    """
    path = _cache_path()
    g = pickle_file.read(path, gazetteer.Gazetteer)
    if g is not None:
        return g
    g = gazetteer.build()
    if pickle_file.write(path, g):
        _prune(path, keep=KEEP_INDEXES)
    return g


def _warm() -> str:
    """Build and cache the index (run in a second process by warm_in_background)."""
    load()
    return str(_cache_path())


def warm_in_background() -> concurrent.futures.Future | None:
    """Start building the cached index in a second process; None when the cache is already
    there or the machine has one core.

    Why: a first build spends about 12 s normalising GeoNames names before it can geocode, and
    as long again in the adapters (the Samsung PDF alone takes 7 s); on two cores the two overlap,
    which keeps a first build under 30 s. The caller waits on the future before geocoding; if the
    second process fails, load() simply builds the index itself.
    """
    if (os.cpu_count() or 1) < 2:
        return None
    try:
        if _cache_path().is_file():
            return None
        ctx = multiprocessing.get_context("spawn")  # no forked copy of the caller's state
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    except (OSError, ValueError):
        return None
    future = pool.submit(_warm)
    pool.shutdown(wait=False)
    return future


def _prune(path: Path, keep: int) -> None:
    """Delete all but the ``keep`` newest indexes beside ``path``: older code or package files
    left them, but another checkout on this machine (its own venv, so its own key) may still
    use a recent one."""
    found = sorted(
        path.parent.glob("gazetteer-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in found[keep:]:
        if old != path:
            old.unlink(missing_ok=True)
