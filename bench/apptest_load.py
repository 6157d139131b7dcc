"""Many sessions in one process: N AppTest sessions of app.py (the Map page) in threads, sharing
the process's cached DuckDB connection and result caches, each changing brand / mineral / tier /
min_risk for S seconds (`python -m bench.load` without --users). Reports errors and rerun times.
"""

from __future__ import annotations

import os
import random
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from bench.common import REPO
from bench.session_stats import CHOICES, Stats, summary

APP = REPO / "app.py"


def _page_errors(at) -> list[str]:
    """Exceptions and error boxes on the page (a database notice would be one)."""
    return [f"exception: {e.message}" for e in at.exception] + [
        f"error: {e.value}" for e in at.error
    ]


@contextmanager
def shared_test_runtime():
    """Keep a Streamlit runtime visible to every session thread while the load runs.

    AppTest is written for one test at a time: each ``run()`` installs its own mock runtime
    as the process-wide ``Runtime._instance`` and sets it back to ``None`` when it ends. With
    several sessions in threads, one session ending clears the runtime another session's
    script is about to use ("Runtime hasn't been created!"), and that session's page comes
    back empty. That is the harness racing, not the app; so while the load runs,
    ``Runtime.instance()`` falls back to the last runtime any session installed.
    """
    from streamlit.runtime.runtime import Runtime

    original = Runtime.__dict__["instance"]
    original_exists = Runtime.__dict__["exists"]
    last: list = []

    def instance(cls):
        current = cls._instance
        if current is not None:
            last[:] = [current]
            return current
        if last:
            return last[0]
        return original.__func__(cls)

    def exists(cls):
        return cls._instance is not None or bool(last)

    Runtime.instance = classmethod(instance)
    Runtime.exists = classmethod(exists)
    try:
        yield
    finally:
        Runtime.instance = original
        Runtime.exists = original_exists


def _session(seed: int, deadline: float, stats: Stats, timeout: float) -> None:
    """One user: open the Map, then change one filter at a time until the deadline."""
    from streamlit.testing.v1 import AppTest

    rng = random.Random(seed)
    try:
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        t0 = time.perf_counter()
        at.run()
        stats.add("first", time.perf_counter() - t0)
        for err in _page_errors(at):
            stats.add("errors", err)
        while time.monotonic() < deadline:
            name = rng.choice(list(CHOICES))
            value = rng.choice(CHOICES[name])
            key = f"flt_{name}"
            widget = at.slider(key=key) if name == "min_risk" else at.multiselect(key=key)
            widget.set_value(value)
            t0 = time.perf_counter()
            at.run()
            stats.add("reruns", time.perf_counter() - t0)
            for err in _page_errors(at):
                stats.add("errors", f"{name}={value}: {err}")
    except Exception as exc:  # noqa: BLE001 - every failure is counted, with its trace
        stats.add("errors", f"{type(exc).__name__}: {exc} | {traceback.format_exc(limit=3)}")


def apptest_load(db: Path, threads: int = 20, seconds: float = 60.0, timeout: float = 120.0):
    """``threads`` AppTest sessions changing filters for ``seconds``, sharing one process's
    caches (the connection from riskatlas.ui.connection is a cache_resource: one per database file)."""
    import streamlit as st

    import riskatlas.ui.map_results  # noqa: F401 - imports outside the timed runs
    import riskatlas.ui.map_view  # noqa: F401

    saved = os.environ.get("RISKATLAS_DB")
    os.environ["RISKATLAS_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    stats = Stats()
    deadline = time.monotonic() + seconds
    t_start = time.perf_counter()
    workers = [
        threading.Thread(target=_session, args=(i, deadline, stats, timeout), daemon=True)
        for i in range(threads)
    ]
    try:
        with shared_test_runtime():
            for w in workers:
                w.start()
            for w in workers:
                w.join(timeout=seconds + 2 * timeout)
    finally:
        if saved is None:
            os.environ.pop("RISKATLAS_DB", None)
        else:
            os.environ["RISKATLAS_DB"] = saved
    hung = sum(w.is_alive() for w in workers)
    if hung:
        stats.add("errors", f"{hung} session(s) still running {2 * timeout:.0f}s after the end")
    wall = time.perf_counter() - t_start
    return {
        "threads": threads,
        "seconds": seconds,
        "wall_s": wall,
        "first_load": summary(stats.first),
        "rerun": summary(stats.reruns),
        "reruns_per_s": len(stats.reruns) / wall if wall else 0.0,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
    }
