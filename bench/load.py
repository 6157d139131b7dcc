"""Many users at once: sessions that keep changing the Map's filters (`python -m bench.load`).

1. AppTest: N threads in one process, each its own session of the app (AppTest of app.py, the
   Map page), sharing the process's cached DuckDB connection and result caches, each changing
   brand / mineral / tier / min_risk for S seconds. Reports errors and rerun times (p50, p95).
2. Browser: P chromium pages (Playwright, Debian chromium) against one `streamlit run` server,
   each opening filtered Map URLs and nudging the min-risk slider for S seconds.

Defaults: 20 threads x 60 s, then 3 pages x 30 s; `--quick` for 4 x 10 s and 2 x 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import REPO, load_average, machine, percentile
from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM

APP = REPO / "app.py"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
SLIDER = '[data-testid="stSlider"] input[type="range"]'  # min risk, in the sidebar

# What a session picks from, per filter (one value each change; [] / 0 = no filter).
CHOICES: dict[str, list] = {
    "brand": [[], ["samsung-electronics"], ["apple"], ["samsung-electronics", "apple"]],
    "mineral": [[], ["cobalt"], ["gold"], ["tin"], ["tantalum", "tungsten"]],
    "tier": [[], ["artisanal_mine"], ["smelter_refiner"], ["mine", "artisanal_mine"]],
    "min_risk": [0.0, 30.0, 60.0],
}
WIDGET = {"brand": "multiselect", "mineral": "multiselect", "tier": "multiselect"}


@dataclass
class Stats:
    """What the sessions saw, gathered under one lock."""

    first: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, value) -> None:
        with self.lock:
            getattr(self, kind).append(value)


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "max": max(samples) if samples else float("nan"),
    }


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


# --- real browsers ------------------------------------------------------------------------------


def _random_url(base: str, rng: random.Random) -> str:
    """A filtered Map URL, always with a mineral (the unfiltered atlas is the AppTest part's)."""
    params = {}
    for name in ("brand", "mineral", "tier"):
        value = rng.choice([v for v in CHOICES[name] if v] if name == "mineral" else CHOICES[name])
        if value:
            params[name] = ",".join(value)
    risk = rng.choice(CHOICES["min_risk"])
    if risk:
        params["min_risk"] = f"{risk:g}"
    return f"{base}/?{urlencode(params, safe=',')}" if params else f"{base}/"


async def _wait_rerun(page, timeout_ms: float) -> None:
    """Wait for the script to start (if we are not too late to see it), then to finish."""
    try:
        await page.wait_for_selector(RUNNING, timeout=1500)
    except Exception:  # noqa: BLE001 - a fast rerun may finish before we look
        pass
    await page.wait_for_selector(IDLE, timeout=timeout_ms)


async def _browser_user(browser, base, seed, deadline, stats: Stats, timeout_ms) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda exc: stats.add("errors", f"pageerror: {exc}"))
    try:
        while time.monotonic() < deadline:
            try:
                slider = page.locator(SLIDER).first
                # a new filtered URL now and then (a new session); mostly slider reruns
                if rng.random() < 0.25 or not await slider.count():
                    t0 = time.perf_counter()
                    await page.goto(_random_url(base, rng), wait_until="commit")
                    await page.wait_for_selector(
                        '[data-testid="stDeckGlJsonChart"]', timeout=timeout_ms
                    )
                    await page.wait_for_selector(IDLE, timeout=timeout_ms)
                    stats.add("first", time.perf_counter() - t0)
                else:
                    await slider.focus()
                    t0 = time.perf_counter()
                    await slider.press(rng.choice(["ArrowRight", "ArrowRight", "Home"]))
                    await _wait_rerun(page, timeout_ms)
                    stats.add("reruns", time.perf_counter() - t0)
                shown = await page.locator('[data-testid="stException"]').count()
                if shown:
                    text = await page.locator('[data-testid="stException"]').first.inner_text()
                    stats.add("errors", f"exception on page: {text[:200]}")
            except Exception as exc:  # noqa: BLE001 - a timeout is an error of the run
                stats.add("errors", f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def _browser_run(base: str, pages: int, seconds: float, timeout_ms: float) -> Stats:
    from playwright.async_api import async_playwright

    stats = Stats()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            deadline = time.monotonic() + seconds
            await asyncio.gather(
                *(
                    _browser_user(browser, base, 100 + i, deadline, stats, timeout_ms)
                    for i in range(pages)
                )
            )
        finally:
            await browser.close()
    return stats


def browser_load(db: Path, pages: int = 3, seconds: float = 30.0, log: Path | None = None):
    """``pages`` browser users against one Streamlit server for ``seconds``."""
    from bench.browser import streamlit_server

    with streamlit_server(db, log) as url:
        base = url.rstrip("/")
        t0 = time.perf_counter()
        stats = asyncio.run(_browser_run(base, pages, seconds, timeout_ms=120_000))
        wall = time.perf_counter() - t0
    return {
        "pages": pages,
        "seconds": seconds,
        "wall_s": wall,
        "page_load": summary(stats.first),
        "rerun": summary(stats.reruns),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
    }


# --- command line -------------------------------------------------------------------------------


def _copy_of(db: Path, workdir: Path) -> Path:
    """The app opens its database with its own DuckDB configuration: measure a private copy."""
    workdir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(db, workdir / "atlas.duckdb"))


def _fmt(s: dict) -> str:
    return f"n={s['n']}, p50 {s['p50']:.2f} s, p95 {s['p95']:.2f} s, max {s['max']:.2f} s"


def main(argv: list[str] | None = None) -> int:
    from riskatlas.paths import db_path

    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    p.add_argument("--db", help="atlas database (default: $RISKATLAS_DB or data/atlas.duckdb)")
    p.add_argument("--threads", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--pages", type=int, default=3)
    p.add_argument("--browser-seconds", type=float, default=30.0)
    p.add_argument("--quick", action="store_true", help="4 threads x 10 s, 2 pages x 10 s")
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--json", help="also write the results here")
    g = p.add_argument_group(
        "protocol level (bench.protocol_load): readers over Streamlit's websocket, against the "
        "real server, one process or replicas behind nginx"
    )
    g.add_argument(
        "--users", type=int, help="simulated readers (protocol level instead of AppTest)"
    )
    g.add_argument("--think", type=float, default=10.0, help="seconds between a reader's actions")
    g.add_argument("--replicas", type=int, default=1, help="app processes behind the proxy")
    g.add_argument("--via-proxy", action="store_true", help="through nginx even with 1 replica")
    g.add_argument("--kill-after", type=float, help="kill -9 one replica after this many seconds")
    g.add_argument(
        "--warm",
        action="store_true",
        help="visit every URL readers can follow once on each process before the timed run",
    )
    g.add_argument(
        "--capacity",
        metavar="N,N,...",
        help="ramp readers through these numbers; report the most with rerun p95 <= 1 s",
    )
    args = p.parse_args(argv)
    if args.users or args.capacity:
        return _protocol_main(args)
    if args.quick:
        args.threads, args.seconds, args.pages, args.browser_seconds = 4, 10.0, 2, 10.0
    src = db_path(args.db)
    if not src.is_file():
        print(f"no atlas database at {src}: run `python -m riskatlas build`", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="riskatlas-load-"))
    db = _copy_of(src, work)
    results: dict = {"machine": machine(), "db": str(src)}
    print(f"AppTest: {args.threads} sessions x {args.seconds:.0f} s on {src} ...", flush=True)
    results["apptest"] = apptest_load(db, args.threads, args.seconds)
    a = results["apptest"]
    print(
        f"  first load {_fmt(a['first_load'])}\n  rerun {_fmt(a['rerun'])}; "
        f"{a['reruns_per_s']:.1f} reruns/s; errors {a['errors']} {a['error_samples']}",
        flush=True,
    )
    if not args.no_browser:
        print(f"Browser: {args.pages} pages x {args.browser_seconds:.0f} s ...", flush=True)
        results["browser"] = browser_load(
            db, args.pages, args.browser_seconds, log=work / "streamlit.log"
        )
        b = results["browser"]
        print(
            f"  page load {_fmt(b['page_load'])}\n  slider rerun {_fmt(b['rerun'])}; "
            f"errors {b['errors']} {b['error_samples']}",
            flush=True,
        )
    results["load_average"] = load_average()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    errors = results["apptest"]["errors"] + results.get("browser", {}).get("errors", 0)
    return 1 if errors else 0


def _protocol_main(args) -> int:
    """--users / --capacity: protocol-level readers (bench.protocol_load)."""
    from bench.protocol_load import capacity, run_load
    from riskatlas.paths import db_path

    src = db_path(args.db)
    if not src.is_file():
        print(f"no atlas database at {src}: run `python -m riskatlas build`", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="riskatlas-load-"))
    db = _copy_of(src, work)
    results: dict = {"machine": machine(), "db": str(src)}
    if args.capacity:
        steps = [int(x) for x in args.capacity.split(",") if x.strip()]
        results["capacity"] = capacity(
            db, args.replicas, args.think, args.seconds, steps, log_dir=work, warm=args.warm
        )
        print(f"largest readers at rerun p95 <= 1 s: {results['capacity']['max_users']}")
        errors = 0
    else:
        r = run_load(
            db,
            args.users,
            args.think,
            args.seconds,
            args.replicas,
            args.via_proxy,
            args.kill_after,
            log_dir=work,
            warm=args.warm,
        )
        results["protocol"] = r
        print(
            f"{r['users']} readers, think {r['think_s']:g} s, {r['replicas']} replica(s)"
            f"{' via nginx' if r['via_proxy'] else ''}: rerun p50 {r['rerun']['p50']}, p95 "
            f"{r['rerun']['p95']} s; errors {r['errors']}; reconnects {r['reconnects']} "
            f"(then ok: {r['after_kill_ok']}); CPU {r['cpu_s_per_rerun']:.3f} s per rerun"
            + (f"; kill: {r['kill']}" if "kill" in r else "")
        )
        errors = r["errors"]
    results["load_average"] = load_average()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
