"""Concurrent sessions changing the Map's filters (short versions of `python -m bench.load`):
no errors, and every AppTest session shares the one cached DuckDB connection."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from bench.apptest_load import apptest_load, shared_test_runtime
from bench.browser_load import browser_load


@pytest.fixture(scope="module")
def load_db(atlas_db, tmp_path_factory):
    return Path(shutil.copy(atlas_db, tmp_path_factory.mktemp("load") / "atlas.duckdb"))


def test_four_apptest_sessions_for_ten_seconds(load_db, monkeypatch):
    import riskatlas.db

    opened: list[str] = []
    real_connect = duckdb.connect

    def counting_connect(path=":memory:", *args, **kwargs):
        if str(path) != ":memory:":  # riskatlas.schema reads its DDL in a scratch database
            opened.append(str(path))
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(riskatlas.db.duckdb, "connect", counting_connect)
    res = apptest_load(load_db, threads=4, seconds=10)
    assert res["errors"] == 0, res["error_samples"]
    assert res["first_load"]["n"] == 4
    assert res["rerun"]["n"] >= 4, res  # every session changed a filter at least once
    assert opened == [str(load_db)], opened  # one connection, shared by all sessions


def test_shared_runtime_survives_another_session_ending():
    """One AppTest run ending sets Runtime._instance to None; sessions still running must
    keep seeing a runtime while the load runs, and the patch must not outlive it."""
    from streamlit.runtime.runtime import Runtime

    saved = Runtime._instance
    first, second = object(), object()
    try:
        with shared_test_runtime():
            Runtime._instance = first
            assert Runtime.instance() is first
            Runtime._instance = None  # another session's run() ended
            assert Runtime.instance() is first and Runtime.exists()
            Runtime._instance = second
            assert Runtime.instance() is second
        Runtime._instance = None
        assert not Runtime.exists()
        with pytest.raises(RuntimeError, match="hasn't been created"):
            Runtime.instance()
    finally:
        Runtime._instance = saved


@pytest.mark.browser
@pytest.mark.slow
def test_two_browser_pages_on_one_server(load_db, tmp_path):
    res = browser_load(load_db, pages=2, seconds=8, log=tmp_path / "streamlit.log")
    assert res["errors"] == 0, res["error_samples"]
    assert res["page_load"]["n"] >= 2
