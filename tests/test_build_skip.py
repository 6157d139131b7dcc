"""`build --skip SOURCE_ID` leaves a source out: an atlas without EJAtlas (non-commercial terms)
has no EJAtlas row in any table, and the app runs on it."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from riskatlas.build import BuildError, build
from riskatlas.sources import ADAPTERS, UnknownSource, without
from tests.apptest_support import run_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def skip_db(raw_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("skip") / "atlas.duckdb"
    build(raw=raw_dir, out=out, progress=lambda m: None, skip=("ejatlas",))
    return out


def test_without_accepts_ids_and_adapter_names():
    assert "ejatlas" not in without(("ejatlas",))
    assert "mrds" not in without(("minmod_mrds",)) and "mrds" not in without(("mrds",))
    assert without(()) == ADAPTERS
    with pytest.raises(UnknownSource, match="unknown source 'nope'"):
        without(("nope",))


def test_unknown_skip_is_a_usage_error(tmp_path):
    with pytest.raises(BuildError, match="unknown source"):
        build(out=tmp_path / "x.duckdb", progress=lambda m: None, skip=("nope",))
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "riskatlas",
            "build",
            "--skip",
            "nope",
            "--out",
            str(tmp_path / "y"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2 and "unknown source 'nope'" in p.stderr
    assert "Traceback" not in p.stderr and not (tmp_path / "y").exists()


def test_no_ejatlas_row_anywhere(skip_db):
    con = duckdb.connect(str(skip_db), read_only=True)
    columns = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
    ).fetchall()
    assert len(columns) > 50
    # risk_weights is the model's configuration (weights.toml as a table): it names every
    # indicator's source, EJAtlas's included, and holds no data from it
    columns = [(t, c) for t, c in columns if t != "risk_weights"]
    for table, column in columns:
        n = con.execute(
            f'SELECT count(*) FROM "{table}" WHERE "{column}" ILIKE \'%ejatlas%\''  # noqa: S608
        ).fetchone()[0]
        assert n == 0, (table, column)
    # the conflict tables exist, empty, so every page reads them the same way
    assert con.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM conflict_links").fetchone()[0] == 0
    con.close()


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("pages/map.py", {}),
        ("pages/map.py", {"tier": "ewaste"}),
        ("pages/sources.py", {}),
        ("pages/site.py", {"site": "ewaste:agbogbloshie"}),
    ],
)
def test_app_runs_without_ejatlas(skip_db, monkeypatch, page, params):
    monkeypatch.setenv("RISKATLAS_DB", str(skip_db))
    at = run_app(page, params, timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
