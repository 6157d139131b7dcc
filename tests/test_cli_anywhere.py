"""`python -m riskatlas` works from any directory: the set-up puts the repository on the venv's
import path (scripts/setup.sh)."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_runs_outside_the_repository(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "riskatlas", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "build" in proc.stdout and "import-report" in proc.stdout


def test_the_installed_console_script_runs_from_any_directory(tmp_path, atlas_db):
    """Issue 18: `pip install -e .` (scripts/setup.sh) installs a `riskatlas` command with the
    same subcommands; it writes a report from outside the repository."""
    from pathlib import Path

    script = Path(sys.executable).parent / "riskatlas"
    assert script.is_file(), "scripts/setup.sh installs the package in editable mode"
    out = tmp_path / "samsung.html"
    proc = subprocess.run(
        [str(script), "report", "--brand", "samsung-electronics", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RISKATLAS_DB": str(atlas_db)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Samsung Electronics" in out.read_text(encoding="utf-8")
