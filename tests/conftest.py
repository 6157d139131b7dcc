"""Shared fixtures: the real mirrored data in ../shared/data and small hand-written fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.paths import SHARED_DATA

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the shared data mirror is missing: {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def atlas_db(tmp_path_factory, raw_dir) -> Path:
    """The atlas built once per test session from the real mirror (or $RISKATLAS_TEST_DB if set).

    Setting RISKATLAS_TEST_DB to an already-built file skips the build while developing.
    """
    import os

    from riskatlas import settings
    from riskatlas.build import build

    reuse = settings.TEST_DB.path()
    if reuse and reuse.is_file():
        db = reuse
    else:
        db = tmp_path_factory.mktemp("atlas") / "atlas.duckdb"
        build(raw=raw_dir, out=db, progress=lambda m: None)
    os.environ["RISKATLAS_DB"] = str(db)
    return db


@pytest.fixture(scope="session")
def atlas(atlas_db):
    """A read-only connection to the session's atlas."""
    import duckdb

    con = duckdb.connect(str(atlas_db), read_only=True)
    yield con
    con.close()
