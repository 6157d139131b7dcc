"""Where raw source files are read from and where the atlas database lives (the environment
variables are declared in riskatlas.settings)."""

from __future__ import annotations

import os
from pathlib import Path

from . import settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_DB = REPO_ROOT / "data" / "atlas.duckdb"
DEFAULT_RAW = REPO_ROOT / "data" / "raw"
DEFAULT_CONTRIBUTIONS_DB = REPO_ROOT / "data" / "contributions.duckdb"


def raw_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Raw directory: ``--raw``, else ``$RISKATLAS_RAW``, else ``../shared/data`` if it exists, else ``data/raw``."""
    if explicit:
        return Path(explicit)
    env = settings.RAW.path()
    if env:
        return env
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    return DEFAULT_RAW


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """Database path: explicit, else ``$RISKATLAS_DB``, else ``data/atlas.duckdb``."""
    if explicit:
        return Path(explicit)
    env = settings.DB.path()
    if env:
        return env
    return DEFAULT_DB


def contributions_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """Contributions live in their own database so that a build never overwrites them."""
    if explicit:
        return Path(explicit)
    env = settings.CONTRIBUTIONS_DB.path()
    if env:
        return env
    return DEFAULT_CONTRIBUTIONS_DB


DEFAULT_IMPORTS = REPO_ROOT / "data" / "imports"


def imports_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Saved brand-disclosure imports: explicit, else ``$RISKATLAS_IMPORTS``, else ``data/imports``.

    Kept apart from the raw mirror and the database: the build reads them, a rebuild never
    deletes them.
    """
    if explicit:
        return Path(explicit)
    env = settings.IMPORTS.path()
    if env:
        return env
    return DEFAULT_IMPORTS


def cache_dir() -> Path:
    """Derived files kept between runs: ``$RISKATLAS_CACHE``, else ``~/.cache/riskatlas``.

    The gazetteer index and the importer's parse results live here; deleting it only makes the
    next build slower.
    """
    env = settings.CACHE.path()
    if env:
        return env
    base = settings.XDG_CACHE.path() or Path.home() / ".cache"
    return base / "riskatlas"


DEFAULT_SUBMISSIONS = REPO_ROOT / "data" / "submissions"


def submissions_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Import files waiting for a maintainer's review: explicit, else ``$RISKATLAS_SUBMISSIONS``,
    else ``data/submissions``. Never read by the build: only approved files are copied to
    :func:`imports_dir`."""
    if explicit:
        return Path(explicit)
    env = settings.SUBMISSIONS.path()
    if env:
        return env
    return DEFAULT_SUBMISSIONS
