"""`python -m riskatlas contribute` and `review` as a maintainer runs them: messages, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskatlas.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Contributions in tmp_path, for subprocesses and for in-process runs alike."""
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))
    monkeypatch.setenv("RISKATLAS_DB", str(tmp_path / "atlas.duckdb"))  # no atlas needed
    return dict(os.environ)


def cli(env, *args):
    p = subprocess.run(
        [sys.executable, "-m", "riskatlas", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in p.stderr, p.stderr
    return p


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


@pytest.mark.slow
def test_upload_review_cycle_as_subprocesses(env, fixtures_dir, tmp_path):
    p = cli(env, "review")
    assert p.returncode == 0 and "no pending contributions" in p.stdout
    assert not (tmp_path / "contributions.duckdb").exists()

    p = cli(env, "contribute", str(fixtures_dir / "contrib_bad.csv"), "--by", "Union A")
    assert p.returncode == 1
    assert "row 3, event_date: must be an ISO date" in p.stderr
    assert "row 5, lat: must be between -90 and 90" in p.stderr
    assert "nothing was saved: 7 problem(s) in 7 row(s)" in p.stderr

    p = cli(env, "contribute", str(fixtures_dir / "contrib_points.csv"), "--by", "Fieldwork Union")
    assert p.returncode == 0, p.stderr
    assert "saved 3 contribution(s), pending review (ids 1, 2, 3)" in p.stdout

    p = cli(env, "review")
    assert p.returncode == 0 and "3 pending contributions" in p.stdout
    assert "#2  [pending]" in p.stdout and "Agbogbloshie scrapyard" in p.stdout
    assert "by:       Fieldwork Union" in p.stdout  # --by filled the empty contributor cells
    assert "by:       Kivu Miners' Union" in p.stdout  # a row's own contributor wins

    p = cli(env, "review", "--approve", "999", "--by", "M")
    assert p.returncode == 1 and "no contribution with id 999" in p.stderr

    p = cli(env, "review", "--approve", "1", "--by", "Maintainer M", "--note", "PDF checked")
    assert p.returncode == 0 and "contribution 1 approved by Maintainer M" in p.stdout

    p = cli(env, "review", "--reject", "2", "--note", "link is dead", "--by", "Maintainer M")
    assert p.returncode == 0 and "contribution 2 rejected" in p.stdout

    p = cli(env, "review", "--status", "approved")
    assert "#1  [approved]" in p.stdout and "approved by Maintainer M" in p.stdout
    assert "#2" not in p.stdout and "#3" not in p.stdout


def test_review_messages(env, fixtures_dir, capsys):
    assert run(capsys, "contribute", str(fixtures_dir / "contrib_points.csv"), "--by", "U")[0] == 0
    code, _, err = run(capsys, "review", "--approve", "1")
    assert code == 1 and "--by NAME" in err
    code, _, err = run(capsys, "review", "--reject", "2", "--by", "M")
    assert code == 1 and "needs a note" in err
    code, out, _ = run(capsys, "review", "--reject", "2", "--note", "dead link")
    assert code == 0 and "login name" in out  # the reviewer is still recorded
    code, _, err = run(capsys, "review", "--approve", "2", "--by", "M")
    assert code == 1 and "--force" in err
    code, out, _ = run(capsys, "review", "--approve", "2", "--by", "M", "--force")
    assert code == 0
    code, out, _ = run(capsys, "review", "--show", "2")
    assert code == 0 and "[approved]" in out and "Agbogbloshie" in out
    code, _, err = run(capsys, "review", "--show", "42")
    assert code == 1 and "no contribution with id 42" in err
    code, out, _ = run(capsys, "review", "--status", "all")
    assert code == 0 and "3 contributions" in out
    with pytest.raises(SystemExit) as exc:
        main(["review", "--approve", "abc"])
    assert exc.value.code == 2 and "is not an id" in capsys.readouterr().err
    code, _, err = run(capsys, "contribute", str(fixtures_dir / "contrib_points.csv"), "--by", "U")
    assert code == 1 and "already submitted as contribution 1" in err


def test_contribute_messages(env, fixtures_dir, tmp_path, capsys):
    code, _, err = run(capsys, "contribute", str(tmp_path / "missing.csv"))
    assert code == 1 and "cannot read" in err
    code, out, _ = run(
        capsys, "contribute", str(fixtures_dir / "contrib_points.csv"), "--by", "U", "--dry-run"
    )
    assert code == 0 and "3 row(s) checked, no problems" in out
    assert not (tmp_path / "contributions.duckdb").exists()
    code, _, err = run(capsys, "contribute", str(fixtures_dir / "contrib_bad.geojson"))
    assert code == 1 and "feature 3, geometry: only Point geometries" in err
    code, _, err = run(capsys, "contribute", str(fixtures_dir / "contrib_points.csv"))
    assert code == 1 and "row 2, contributor: required" in err  # no --by, no contributor cell


def test_terminal_output_carries_no_control_characters(env, tmp_path, capsys):
    f = tmp_path / "esc.csv"
    f.write_text(
        "site_name,tier,description,event_date,evidence_url,contributor,country,lat,lon\n"
        "Mine\x1b[2J,mine,Spill\x1b]0;owned\x07 seen,2023-01-10,https://example.org/a,U,Zambia,"
        "-12.8,28.2\n",
        encoding="utf-8",
    )
    assert run(capsys, "contribute", str(f))[0] == 0
    _, out, _ = run(capsys, "review")
    assert "\x1b" not in out and "\x07" not in out and "Mine[2J" in out
