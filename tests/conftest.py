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
