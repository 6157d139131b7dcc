"""Many users at once: sessions that keep changing the Map's filters (`python -m bench.load`).

1. AppTest: N threads in one process, each its own session of the app (AppTest of app.py, the
   Map page), sharing the process's cached DuckDB connection and result caches, each changing
   brand / mineral / tier / min_risk for S seconds. Reports errors and rerun times (p50, p95).
2. Browser: P chromium pages (Playwright, Debian chromium) against one `streamlit run` server,
   each opening filtered Map URLs and nudging the min-risk slider for S seconds.
3. Protocol level (`--users` / `--capacity`): readers over Streamlit's websocket against the
   real server, one process or replicas behind nginx (bench.protocol_load).

This module is the command line; each kind of load lives in its own module (bench.apptest_load,
bench.browser_load, bench.protocol_load).

Defaults: 20 threads x 60 s, then 3 pages x 30 s; `--quick` for 4 x 10 s and 2 x 10 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench.apptest_load import apptest_load
from bench.browser_load import browser_load
from bench.common import load_average, machine


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
    g.add_argument(
        "--costs",
        type=int,
        metavar="N",
        help="CPU per request of one app process: N views computed, then served (no load)",
    )
    args = p.parse_args(argv)
    if args.users or args.capacity or args.costs:
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
    if args.costs:
        from bench.protocol_load import view_costs

        c = view_costs(db, args.costs, log_dir=work)
        results["costs"] = c
        print(
            f"one app process, CPU per request: a view no reader asked for yet "
            f"{c['cold_view'] * 1000:.0f} ms ({c['views']} views); a new reader's first visit "
            f"to a computed view {c['first_visit_cached'] * 1000:.0f} ms; a rerun to another "
            f"computed view {c['rerun_cached'] * 1000:.0f} ms"
        )
        errors = 0
    elif args.capacity:
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
