"""Where raw source files are read from and where the atlas database lives."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_DB = REPO_ROOT / "data" / "atlas.duckdb"
DEFAULT_RAW = REPO_ROOT / "data" / "raw"
DEFAULT_CONTRIBUTIONS_DB = REPO_ROOT / "data" / "contributions.duckdb"


def raw_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Raw directory: ``--raw``, else ``$RISKATLAS_RAW``, else ``../shared/data`` if it exists, else ``data/raw``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("RISKATLAS_RAW")
    if env:
        return Path(env)
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    return DEFAULT_RAW


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """Database path: explicit, else ``$RISKATLAS_DB``, else ``data/atlas.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("RISKATLAS_DB")
    if env:
        return Path(env)
    return DEFAULT_DB


def contributions_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """Contributions live in their own database so that a build never overwrites them."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("RISKATLAS_CONTRIBUTIONS_DB")
    if env:
        return Path(env)
    return DEFAULT_CONTRIBUTIONS_DB


DEFAULT_IMPORTS = REPO_ROOT / "data" / "imports"


def imports_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Saved brand-disclosure imports: explicit, else ``$RISKATLAS_IMPORTS``, else ``data/imports``.

    Kept apart from the raw mirror and the database: the build reads them, a rebuild never
    deletes them.
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get("RISKATLAS_IMPORTS")
    if env:
        return Path(env)
    return DEFAULT_IMPORTS


def cache_dir() -> Path:
    """Derived files kept between runs: ``$RISKATLAS_CACHE``, else ``~/.cache/riskatlas``.

    The gazetteer index and the importer's parse results live here; deleting it only makes the
    next build slower.
    """
    env = os.environ.get("RISKATLAS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "riskatlas"


DEFAULT_SUBMISSIONS = REPO_ROOT / "data" / "submissions"


def submissions_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Import files waiting for a maintainer's review: explicit, else ``$RISKATLAS_SUBMISSIONS``,
    else ``data/submissions``. Never read by the build: only approved files are copied to
    :func:`imports_dir`."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("RISKATLAS_SUBMISSIONS")
    if env:
        return Path(env)
    return DEFAULT_SUBMISSIONS
