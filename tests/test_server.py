"""The app server the browser tests and benchmarks share: loopback only, stopped afterwards,
and a server that dies at start says so with its log."""

from __future__ import annotations

import sys
import urllib.request

import pytest

from riskatlas import server


def test_command_serves_app_py_on_loopback_without_usage_stats():
    cmd = server.command(8765)
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert cmd[4].endswith("app.py")
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert flags["--server.address"] == "127.0.0.1"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert flags["--server.port"] == "8765"


def test_user_options_come_last_and_run_app_uses_this_command():
    assert server.command(extra=["--server.port", "9000"])[-2:] == ["--server.port", "9000"]
    assert server.command()[server.command().index("--server.port") + 1] == "8501"
    script = (server.REPO_ROOT / "scripts" / "run-app.sh").read_text()
    assert 'python -m riskatlas.server "$@"' in script


@pytest.mark.slow
def test_running_serves_the_app_then_stops_it(atlas_db, tmp_path):
    log = tmp_path / "streamlit.log"
    with server.running(db=atlas_db, log=log) as base:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as r:
            assert r.status == 200
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
    assert "127.0.0.1" in log.read_text()


def test_a_server_that_exits_at_start_raises_and_names_its_log(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "command", lambda port: [sys.executable, "-c", "print('boom')"])
    log = tmp_path / "streamlit.log"
    with pytest.raises(RuntimeError, match="did not start") as err:
        with server.running(log=log, start_seconds=20):
            pass
    assert str(log) in str(err.value)
    assert "boom" in log.read_text()
