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
