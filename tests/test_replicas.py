"""Replicas behind nginx (issue 19): `run-app.sh --replicas N` serves N app processes on one
port with websockets and sticky sessions; a replica killed with kill -9 is restarted and its
readers' next action succeeds after they reconnect; contributions written through two
processes at once are all kept."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import pytest

from bench.protocol_load import run_load
from riskatlas import replicas, server
from riskatlas.app_client import Reader

pytestmark = pytest.mark.slow


def test_run_app_arguments():
    assert server.split_replicas([]) == (1, 8501, [])
    assert server.split_replicas(["--replicas", "2", "--server.port", "9000", "--x", "y"]) == (
        2,
        9000,
        ["--x", "y"],
    )
    assert server.split_replicas(["--replicas=3"]) == (3, 8501, [])
    with pytest.raises(SystemExit, match="--replicas needs a number"):
        server.split_replicas(["--replicas", "two"])
    with pytest.raises(SystemExit, match="from 1 up"):
        server.split_replicas(["--replicas", "0"])


def test_nginx_conf_is_sticky_and_upgrades_websockets(tmp_path):
    conf = replicas.nginx_conf(8080, [9001, 9002], tmp_path, "127.0.0.1")
    assert "hash $sticky consistent" in conf and "Upgrade $http_upgrade" in conf
    assert "server 127.0.0.1:9001" in conf and "server 127.0.0.1:9002" in conf
    assert "listen 127.0.0.1:8080" in conf and "proxy_next_upstream error" in conf


def test_two_replicas_sticky_websocket_and_kill_9(atlas_db, tmp_path):
    from bench.protocol_load import cache_lookups

    env = {**os.environ, "RISKATLAS_DB": str(atlas_db)}
    story = ["brand=samsung-electronics&mineral=cobalt", "mineral=gold"]
    with replicas.running(2, env=env, log_dir=tmp_path, warm_views=story) as reps:
        # each replica asked itself for the story's views when it started
        reps.wait_warm()
        for port in reps.ports:
            warmed = cache_lookups([f"http://127.0.0.1:{port}"])["riskatlas.ui.map_view._map"]
            assert warmed["miss"] == len(story), (port, warmed)
        bases = [f"http://127.0.0.1:{p}" for p in reps.ports]
        before = cache_lookups(bases)["riskatlas.ui.map_view._map"]
        # the proxy sets the sticky cookie; the same cookie always reaches the same replica
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(reps.url + "/_stcore/health", timeout=10) as resp:
            assert resp.status == 200
        assert replicas.STICKY_COOKIE in {c.name for c in jar}

        async def one_view():
            reader = Reader(reps.url)
            took = await reader.rerun("brand=samsung-electronics&mineral=cobalt")
            await reader.close()
            return took, reader.messages

        took, messages = asyncio.run(one_view())
        assert took > 0 and messages > 5  # the page ran through the proxy, over the websocket
        # ... and the first reader was served the warmed view, not a new computation
        after = cache_lookups(bases)["riskatlas.ui.map_view._map"]
        assert after["miss"] == before["miss"] and after["hit"] == before["hit"] + 1
        # a replica killed with kill -9 is restarted and warms the story's views again
        port = reps.ports[0]
        os.kill(reps.procs[port].pid, 9)
        deadline = time.monotonic() + 120
        while not reps.restarts.get(port) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert reps.restarts.get(port) == 1
        reps.wait_warm()
        rewarmed = cache_lookups([f"http://127.0.0.1:{port}"])["riskatlas.ui.map_view._map"]
        assert rewarmed["miss"] == len(story), rewarmed
    # a load with a kill -9 in the middle: readers reconnect and their next action succeeds
    result = run_load(
        atlas_db, users=4, think=1.0, seconds=14, replicas=2, kill_after=5, log_dir=tmp_path
    )
    assert result["errors"] == 0, result["error_samples"]
    assert result["kill"]["restarts"], "the killed replica was restarted"
    assert result["rerun"]["n"] > 4


def test_contributions_from_two_processes_at_once_are_all_kept(tmp_path, fixtures_dir):
    """Two replicas write to one contributions file: DuckDB lets one writer in at a time and
    riskatlas.contrib.store retries while the file is locked, so nothing is lost."""
    db = tmp_path / "contributions.duckdb"
    code = (
        "import sys\n"
        "from riskatlas.contrib.import_queue import submit_import\n"
        "from pathlib import Path\n"
        "data = Path(sys.argv[1]).read_bytes() + f'Tin,Writer {sys.argv[2]},CID000292,USA,\\n'"
        ".encode()\n"
        "for i in range(3):\n"
        "    submit_import(data + f'Tin,Row {i},CID000292,USA,\\n'.encode(), f'w{sys.argv[2]}"
        "_{i}.csv', 'Acme', 2024, client=f'10.0.0.{sys.argv[2]}')\n"
    )
    env = {
        **os.environ,
        "RISKATLAS_CONTRIBUTIONS_DB": str(db),
        "RISKATLAS_SUBMISSIONS": str(tmp_path / "submissions"),
        "RISKATLAS_CACHE": str(tmp_path / "cache"),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(fixtures_dir / "import_small.csv"), str(w)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in (1, 2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    from riskatlas.contrib.import_queue import list_submissions

    assert len(list_submissions("pending", db)) == 6


def test_every_url_a_reader_can_follow():
    from bench import protocol_load

    urls = protocol_load.every_url()
    assert len(urls) == len(set(urls))
    assert urls[: len(protocol_load.POPULAR)] == protocol_load.POPULAR
    n_sets = 1
    for values in protocol_load.CHOICES.values():
        n_sets *= len(values)
    assert len(set(urls) - set(protocol_load.POPULAR)) <= n_sets <= len(urls)
    rng = __import__("random").Random(3)
    for _ in range(50):  # whatever a reader follows was warmed
        assert protocol_load.reader_url(rng) in urls


def test_a_warm_run_visits_every_url_first(atlas_db, tmp_path, monkeypatch):
    """--warm: every URL readers can follow is served once before the timed run, on the real
    server (a small choice of filters here, to keep the test short)."""
    from bench import protocol_load

    monkeypatch.setattr(protocol_load, "POPULAR", ["brand=apple"])
    monkeypatch.setattr(protocol_load, "CHOICES", {"mineral": ["", "gold"], "tier": ["", "ewaste"]})
    seen: list[str] = []
    real_rerun = protocol_load.Reader.rerun

    async def counting(self, query):
        seen.append(query)
        return await real_rerun(self, query)

    monkeypatch.setattr(protocol_load.Reader, "rerun", counting)
    result = run_load(atlas_db, users=1, think=1.0, seconds=3, warm=True, log_dir=tmp_path)
    assert result["warm"] is True and result["errors"] == 0
    assert set(protocol_load.every_url()) <= set(seen)
    # after warming, every view a reader asked for came from the caches all sessions share
    # (Streamlit's own hit/miss counters): a reader's follow-up view, in a session whose
    # messages carry no widget states, asks for the same map as everyone else
    for name in protocol_load.VIEW_CACHES:
        lookups = result["view_cache"][name]
        assert lookups["hit"] >= 1 and lookups["miss"] == 0, (name, lookups)


def test_view_caches_hold_what_the_setting_says():
    """The shared caches keyed by the filter state hold settings.VIEW_CACHE views (the 32 of
    before evicted a story's views before a second reader came), and the map's data files
    are kept for as many."""
    from riskatlas import deck_static, settings
    from riskatlas.ui import map_results, map_view

    n = settings.VIEW_CACHE.number()
    assert n >= 180  # every filter set bench.protocol_load's readers follow
    assert map_view._map._info.max_entries == n
    assert map_results.shown_tables._info.max_entries == n
    assert deck_static.KEEP >= 3 * n


def test_a_view_one_reader_computed_is_served_to_the_next(atlas_db, tmp_path):
    """A second reader following the same links, in another order and another session, is
    served every map and table from the shared caches (Streamlit's own hit/miss counters):
    the layer switches say what the URL says on every rerun, so a view is the same cache entry
    for everyone (before, a rerun without widget states turned them off now and then and the
    second reader got a view of their own, computed again)."""
    from bench import protocol_load

    urls = protocol_load.every_url()[:6]

    async def follow(base: str, order: list[str]) -> None:
        reader = Reader(base)
        try:
            for q in order:
                await reader.rerun(q)
        finally:
            await reader.close()

    with protocol_load.serving(atlas_db, 1, False, tmp_path) as (base, _reps, _pids):
        asyncio.run(follow(base, urls))
        before = protocol_load.cache_lookups([base])
        asyncio.run(follow(base, urls[::-1]))
        after = protocol_load.cache_lookups([base])
    for name in protocol_load.VIEW_CACHES:
        assert after[name]["miss"] == before[name]["miss"], (name, before, after)
        assert after[name]["hit"] - before[name]["hit"] == len(urls), (name, before, after)


def test_view_costs_compute_each_view_once(atlas_db, tmp_path):
    """bench.load --costs: CPU per request of one process; every view is computed once (the
    story's links at start, then the views asked for) and served from the caches after."""
    from bench import protocol_load

    costs = protocol_load.view_costs(atlas_db, views=3, log_dir=tmp_path)
    assert costs["views"] == 3
    assert costs["cold_view"] > 0 and costs["first_visit_cached"] > 0
    maps = costs["view_cache"]["riskatlas.ui.map_view._map"]
    assert maps["miss"] == len(protocol_load.POPULAR) + 3
    assert maps["hit"] >= 3 + 3
