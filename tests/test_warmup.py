"""The server's warm-up (riskatlas.warmup): which views a list names, and a bad list refused in
one line before any server starts. That a warmed replica serves its first reader from the
shared caches, also after a kill -9, is tests/test_replicas.py's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from riskatlas import settings, warmup
from riskatlas.paths import REPO_ROOT


def test_a_list_names_views_as_people_paste_them(tmp_path):
    f = tmp_path / "story.txt"
    f.write_text(
        "# the story's links\n"
        "https://atlas.example.org/?brand=samsung-electronics&mineral=cobalt\n"
        "\n"
        "?mineral=gold   # the gold map\n"
        "brand=apple\n"
        "/?brand=apple\n"
        "?\n"
        "https://atlas.example.org/#top\n",
        encoding="utf-8",
    )
    assert warmup.read_views(f) == [
        "brand=samsung-electronics&mineral=cobalt",
        "mineral=gold",
        "brand=apple",
        "",
    ]


def test_without_the_setting_the_home_map_is_warmed(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.WARM_VIEWS.env, raising=False)
    assert warmup.views() == [""]
    empty = tmp_path / "none.txt"
    empty.write_text("# nothing this time\n", encoding="utf-8")
    monkeypatch.setenv(settings.WARM_VIEWS.env, str(empty))
    assert warmup.views() == []
    assert warmup.warm("http://127.0.0.1:9", []).line() == "warmed 0 view(s) in 0.0 s"


def test_a_missing_list_is_refused_before_the_server_starts(tmp_path):
    missing = tmp_path / "no-such-list.txt"
    env = {**os.environ, settings.WARM_VIEWS.env: str(missing)}
    run = subprocess.run(
        [sys.executable, "-m", "riskatlas.server"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot read the views to warm" in lines[0], run.stderr
    assert str(missing) in lines[0]
    with pytest.raises(warmup.WarmupError):
        warmup.read_views(missing)


def test_the_command_says_when_no_app_answers():
    run = subprocess.run(
        [sys.executable, "-m", "riskatlas.warmup", "--url", "http://127.0.0.1:9", "--wait", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stderr.strip() == "error: no app answered at http://127.0.0.1:9 within 1 s"
