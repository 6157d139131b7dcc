"""Every error a command meets is one line on stderr and a non-zero exit, never a traceback:
through ``python -m riskatlas`` and the installed ``riskatlas`` script (riskatlas.cli.main)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from riskatlas import cli, settings
from riskatlas.paths import REPO_ROOT
from riskatlas.sources import ADAPTERS

SCRIPT = Path(sys.executable).parent / "riskatlas"
# every source but these left out: a build of a few seconds that still reaches the derived step
KEEP = ("country_codes", "natural_earth", "usgs_africa")


def _run(args, env=None, script=False, cwd=None, timeout=300):
    """The real command line in a child process, from ``cwd`` (default: a directory outside the
    repo), with ``env`` on top of this environment."""
    cmd = [str(SCRIPT)] if script else [sys.executable, "-m", "riskatlas"]
    return subprocess.run(
        [*cmd, *args],
        cwd=cwd or Path("/"),
        env={**settings.environment(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _one_error_line(res, *words) -> str:
    """The one error line: no traceback, exactly one line saying it failed, naming ``words``."""
    assert "Traceback" not in res.stderr, res.stderr
    failed = [ln for ln in res.stderr.splitlines() if "failed" in ln or "error" in ln.lower()]
    assert len(failed) == 1, res.stderr
    for w in words:
        assert w in failed[0], failed[0]
    return failed[0]


def test_installed_script_is_the_same_command_line():
    assert SCRIPT.is_file(), f"{SCRIPT} missing: scripts/setup.sh installs the package (pip -e)"
    res = _run(["--help"], script=True)
    assert res.returncode == 0 and "build" in res.stdout and "--debug" in res.stdout


@pytest.mark.parametrize("script", [False, True])
def test_malformed_weights_file_is_one_line(tmp_path, raw_dir, script):
    bad = tmp_path / "weights.toml"
    bad.write_text("[model\nversion = ", encoding="utf-8")
    out = tmp_path / "atlas.duckdb"
    t0 = time.perf_counter()
    res = _run(
        ["build", "--raw", str(raw_dir), "--out", str(out)],
        env={"RISKATLAS_WEIGHTS": str(bad)},
        script=script,
    )
    assert res.returncode == 1
    _one_error_line(res, str(bad), "not valid TOML", "untouched")
    assert not out.exists()
    assert time.perf_counter() - t0 < 60  # checked before any source is read


def test_inconsistent_or_missing_weights_file_is_one_line(tmp_path, raw_dir):
    good = (REPO_ROOT / "riskatlas" / "risk" / "weights.toml").read_text(encoding="utf-8")
    bad = tmp_path / "weights.toml"
    bad.write_text(good.replace("half_life_years = 5.0", "half_life_years = -1"), "utf-8")
    res = _run(
        ["build", "--raw", str(raw_dir), "--out", str(tmp_path / "a.duckdb")],
        env={"RISKATLAS_WEIGHTS": str(bad)},
    )
    assert res.returncode == 1
    _one_error_line(res, "half_life_years must be a positive number")
    res = _run(
        ["build", "--raw", str(raw_dir), "--out", str(tmp_path / "a.duckdb")],
        env={"RISKATLAS_WEIGHTS": str(tmp_path / "none.toml")},
        script=True,
    )
    assert res.returncode == 1
    _one_error_line(res, "cannot read the weights file", "none.toml")


@pytest.mark.slow
def test_derived_failure_is_one_line_and_the_previous_atlas_stays(tmp_path, raw_dir):
    out = tmp_path / "atlas.duckdb"
    out.write_bytes(b"previous")
    skip = [a for name in ADAPTERS if name not in KEEP for a in ("--skip", name)]
    res = _run(["build", "--raw", str(raw_dir), "--out", str(out), *skip], script=True)
    assert res.returncode == 1
    _one_error_line(res, "derive_site_findings", "site_facts", "untouched")
    assert out.read_bytes() == b"previous"


def test_no_source_with_sites_is_a_usage_error(tmp_path, raw_dir):
    skip = [a for name in ADAPTERS if name != "country_codes" for a in ("--skip", name)]
    res = _run(["build", "--raw", str(raw_dir), "--out", str(tmp_path / "a.duckdb"), *skip])
    assert res.returncode == 2
    _one_error_line(res, "no source left gives sites")


def test_missing_raw_mirror_and_unknown_source_exit_2(tmp_path):
    res = _run(["build", "--raw", str(tmp_path / "nowhere"), "--out", str(tmp_path / "a.duckdb")])
    assert res.returncode == 2
    _one_error_line(res, "raw directory not found")
    res = _run(["build", "--skip", "nope", "--out", str(tmp_path / "a.duckdb")], script=True)
    assert res.returncode == 2
    _one_error_line(res, "unknown source 'nope'")


def test_bad_database_file_is_one_line(tmp_path):
    bad = tmp_path / "atlas.duckdb"
    bad.write_text("not a database\n", encoding="utf-8")
    res = _run(["report", "--brand", "Apple", "--db", str(bad), "--out", str(tmp_path / "r.html")])
    assert res.returncode == 1
    _one_error_line(res, "not a valid DuckDB database")


def test_locked_database_is_one_line(tmp_path, atlas_db):
    db = tmp_path / "atlas.duckdb"
    db.write_bytes(atlas_db.read_bytes())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); "
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        res = _run(
            ["report", "--brand", "Apple", "--db", str(db), "--out", str(tmp_path / "r.html")],
            script=True,
        )
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert res.returncode == 1
    _one_error_line(res, "lock")


INJECT = (
    "import sys, riskatlas.build as b\n"
    "def boom(*a, **k):\n"
    "    raise ZeroDivisionError('a bug, not a user error')\n"
    "b.without = boom\n"
    "from riskatlas.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path):
    """A bug (here injected into the build) is one line naming it and how to see more."""
    args = ["build", "--out", str(tmp_path / "a.duckdb")]
    base = [sys.executable, "-c", INJECT]
    kw = {"capture_output": True, "text": True, "timeout": 120, "cwd": "/"}
    res = subprocess.run([*base, *args], **kw)
    assert res.returncode == 1
    line = _one_error_line(res, "unexpected ZeroDivisionError", "a bug, not a user error")
    assert "--debug" in line
    res = subprocess.run([*base, *args, "--debug"], **kw)
    assert res.returncode == 1 and "Traceback" in res.stderr
    env = {**settings.environment(), "RISKATLAS_DEBUG": "1"}
    res = subprocess.run([*base, *args], env=env, **kw)
    assert res.returncode == 1 and "Traceback" in res.stderr


def test_every_known_error_names_an_exception_class():
    for module, name, status in cli.KNOWN_ERRORS:
        cls = getattr(importlib.import_module(module), name)
        assert isinstance(cls, type) and issubclass(cls, BaseException), (module, name)
        assert status in (1, 2)
    from riskatlas.derived import DerivedError
    from riskatlas.risk.config import ConfigError
    from riskatlas.sources import UnknownSource

    assert cli.known_error(DerivedError("x")) == 1
    assert cli.known_error(ConfigError("x")) == 1
    assert cli.known_error(UnknownSource("x")) == 2
    assert cli.known_error(KeyError("x")) is None
