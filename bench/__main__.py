"""Run the benchmarks and print one table: `python -m bench` (full) or `python -m bench --quick`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from bench import app_bench, cache, datasette_cmp, hotspot, naive, report
from bench.common import REPO, bounded_repeat, load_average, machine


@dataclass
class Plan:
    """What one run measures, and how often."""

    mode: str
    scales: tuple[int, ...]  # synthetic sizes; the real database is always measured
    query_reps: int = 20
    app_path_budget_s: float = 20.0
    # which scales (0 = real) get the slower side measurements
    app_path_at: tuple[int, ...] = (0, 100_000, 1_000_000)
    datasette_at: tuple[int, ...] = (0, 100_000, 1_000_000)
    naive_at: tuple[int, ...] = (0, 100_000, 1_000_000)
    app_timeout_s: dict[int, float] = field(default_factory=dict)  # per scale, 0 = real
    browser_reps: int = 0
    cold_build: bool = False  # also time a build in a fresh process with an empty cache
    warm_build: bool = False  # build once untimed first, so the timed build has warm caches
    include_real: bool = True  # measure the real database too (the smoke test skips it)
    build: bool = True
    real_db: Path | None = None
    workdir: Path = Path(tempfile.gettempdir()) / "riskatlas-bench"

    def app_timeout(self, n: int) -> float:
        return self.app_timeout_s.get(n, max(self.app_timeout_s.values(), default=300.0))


QUICK = Plan(
    mode="quick",
    scales=(100_000, 1_000_000),
    query_reps=20,
    app_path_budget_s=3.0,
    app_path_at=(0,),
    datasette_at=(0, 1_000_000),
    naive_at=(0, 100_000),
    app_timeout_s={0: 30.0, 100_000: 12.0, 1_000_000: 12.0},
    browser_reps=0,
)
FULL = Plan(
    mode="full",
    scales=(100_000, 1_000_000, 10_000_000),
    query_reps=20,
    app_path_budget_s=20.0,
    app_timeout_s={0: 120.0, 100_000: 120.0, 1_000_000: 300.0, 10_000_000: 300.0},
    browser_reps=3,
    cold_build=True,
    warm_build=True,
)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cold_build(plan: Plan) -> float:
    """Seconds for `python -m riskatlas build` in a fresh process with an empty cache directory
    (the gazetteer index and the importer's parse results made anew): a first build."""
    import shutil
    import subprocess

    cache = plan.workdir / "cold-cache"
    shutil.rmtree(cache, ignore_errors=True)
    out = plan.workdir / "cold.duckdb"
    env = {**os.environ, "RISKATLAS_CACHE": str(cache)}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "riskatlas", "build", "--out", str(out)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - t0
    shutil.rmtree(cache, ignore_errors=True)
    out.unlink(missing_ok=True)
    return seconds


def real_database(plan: Plan, results: dict) -> Path:
    """Build the real sources into the work dir (timed); without a build, an existing atlas."""
    if plan.build:
        from riskatlas.build import build

        out = plan.workdir / "real.duckdb"
        if plan.warm_build:
            log("warm-up build (untimed: fills the gazetteer and import caches)")
            build(out=out, progress=lambda m: None)
        results["build_caches"] = "warm" if plan.warm_build else "as found"
        log("building the real sources")
        t0 = time.perf_counter()
        steps = results.setdefault("build_log", [])
        try:
            build(out=out, progress=lambda m: steps.append(f"{time.perf_counter() - t0:5.1f}s {m}"))
            results["build_s"] = time.perf_counter() - t0
            return out
        except Exception as exc:  # noqa: BLE001 - reported, then an existing atlas is used
            results["build_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            log(f"build failed: {results['build_error']}")
    for candidate in (plan.real_db, os.environ.get("RISKATLAS_DB"), REPO / "data/atlas.duckdb"):
        if candidate and Path(candidate).is_file():
            results["real_db_note"] = f"real data read from {candidate} (not built in this run)"
            return Path(candidate)
    raise SystemExit("no real atlas: the build failed and no database exists to measure")


def filter_changes(params: dict) -> list[tuple[str, list]]:
    """The filter changes a user makes: a mineral, then a tier, then the brand (hotspot view)."""
    return [
        ("flt_mineral", [params["mineral"]]),
        ("flt_tier", ["smelter_refiner"]),
        ("flt_brand", [params["brand"]]),
    ]


def measure_scale(plan: Plan, n: int, db: Path, name: str, params: dict) -> dict:
    """Every per-scale figure on one database (n = 0 for the real one); a part that fails is
    recorded under 'errors' and the other parts still run."""
    r: dict = {"n": n, "db": str(db), "errors": {}}
    hot = None
    for part in (_counts, _hotspot, _app_path, _datasette, _naive, _app):
        try:
            out = part(plan, n, db, name, params, r, hot)
            hot = hot if out is None else out
        except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
            traceback.print_exc()
            r["errors"][part.__name__[1:]] = f"{type(exc).__name__}: {str(exc)[:160]}"
    return r


def _label(n: int) -> str:
    return "real" if n == 0 else f"{n:,}"


def _counts(plan, n, db, name, params, r, hot):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        r["sites"], r["located"] = con.execute("SELECT count(*), count(lat) FROM sites").fetchone()
        r["links"] = con.execute("SELECT count(*) FROM links").fetchone()[0]
    finally:
        con.close()


def _hotspot(plan, n, db, name, params, r, hot):
    log(f"{_label(n)}: hotspot query x{plan.query_reps}")
    t, hot = hotspot.time_duckdb(db, params, plan.query_reps)
    r["hotspot"], r["hotspot_rows"] = t.samples, len(hot)
    t, joined = hotspot.time_join(db, params, plan.query_reps)
    r["hotspot_join"] = t.samples
    r["join_same_rows"] = hotspot.same_rows(list(joined["site_id"]), list(hot["site_id"]))
    return hot


def _app_path(plan, n, db, name, params, r, hot):
    import duckdb

    if n not in plan.app_path_at:
        return
    log(f"{_label(n)}: the app's hotspot route (bounded to {plan.app_path_budget_s:.0f}s)")
    con = duckdb.connect(str(db), read_only=True)
    try:
        r["app_path_rows"] = len(hotspot.app_path(con, params))
        r["app_path"] = bounded_repeat(
            lambda: hotspot.app_path(con, params), plan.query_reps, plan.app_path_budget_s
        ).samples
        r["app_path_brand_rows"] = len(hotspot.app_path(con, params, with_mineral=False))
        r["app_path_brand"] = bounded_repeat(
            lambda: hotspot.app_path(con, params, with_mineral=False),
            plan.query_reps,
            plan.app_path_budget_s,
        ).samples
    finally:
        con.close()


def _datasette(plan, n, db, name, params, r, hot):
    if n not in plan.datasette_at:
        return
    sq, made = cache.sqlite_copy(db, name, plan.workdir)
    r["sqlite_copy_s"] = made
    log(f"{_label(n)}: Datasette x{plan.query_reps}")
    with datasette_cmp.serve(sq, plan.workdir / "datasette.log") as url:
        t, rows = datasette_cmp.time_datasette(url, params, plan.query_reps)
        t_table, rows_table = datasette_cmp.time_datasette(
            url, params, plan.query_reps, hotspot.TABLE_SQL_FILE
        )
    r["datasette"], r["datasette_table"] = t.samples, t_table.samples
    if hot is not None:
        ids = list(hot["site_id"])
        r["datasette_same_rows"] = hotspot.same_rows([x["site_id"] for x in rows], ids)
        r["datasette_table_same_rows"] = hotspot.same_rows([x["site_id"] for x in rows_table], ids)
    r["sqlite"] = datasette_cmp.time_sqlite(sq, params, plan.query_reps).samples


def _naive(plan, n, db, name, params, r, hot):
    if n in plan.naive_at:
        log(f"{_label(n)}: naive pydeck")
        r["naive"] = naive.measure(db)


def _app(plan, n, db, name, params, r, hot):
    log(f"{_label(n)}: Map page through AppTest (timeout {plan.app_timeout(n):.0f}s)")
    r["app"] = app_bench.measure_in_child(db, filter_changes(params), plan.app_timeout(n))
    if "error" in r["app"]:
        log(f"{_label(n)}: Map page: {r['app']['error']}")


def run(plan: Plan) -> dict:
    """Measure everything in one run; returns the raw results (report.py renders them)."""
    plan.workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "mode": plan.mode,
        "machine": machine(),
        "load_start": load_average(),
        "scales": [],
    }
    real = real_database(plan, results)
    if plan.cold_build:
        log("cold build (fresh process, empty cache)")
        try:
            results["cold_build_s"] = cold_build(plan)
        except Exception as exc:  # noqa: BLE001 - reported in the table
            results["cold_build_error"] = f"{type(exc).__name__}: {str(exc)[:160]}"
    real_key = cache.fingerprint(real)
    for stale in cache.prune(plan.workdir, real_key):
        log(f"removed stale {stale}")
    params = hotspot.pick_params(real)
    results["params"] = params
    dbs = [(0, real, f"real_{real_key}")] if plan.include_real else []
    for n in plan.scales:
        log(f"synthetic atlas of {n:,} sites")
        path, made = cache.synthetic_db(real, real_key, n, plan.workdir)
        results.setdefault("synthetic_s", {})[str(n)] = made
        dbs.append((n, path, path.stem))
    for n, db, name in dbs:
        results["scales"].append(measure_scale(plan, n, db, name, params))
    if plan.browser_reps:
        from bench import browser

        log(f"browser: warm server, {plan.browser_reps} visits")
        try:
            b = browser.measure(real, plan.browser_reps, log=plan.workdir / "streamlit.log")
            results["browser"] = {
                "first": b["first"],
                "drawn": b["drawn"].samples,
                "canvas": b["canvas"].samples,
            }
        except Exception as exc:  # noqa: BLE001 - reported in the table
            results["browser"] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    results["load_end"] = load_average()
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="real + 100 k + 1 M, fewer repetitions")
    p.add_argument("--no-build", action="store_true", help="measure an existing atlas (no build)")
    p.add_argument("--db", type=Path, help="the real atlas to use with --no-build")
    p.add_argument("--no-browser", action="store_true", help="skip the browser measurement")
    p.add_argument("--workdir", type=Path, help="where databases go (default: a temp dir)")
    p.add_argument("--results", type=Path, help="write the Markdown table here")
    p.add_argument("--json", type=Path, help="also write the raw results as JSON here")
    args = p.parse_args(argv)

    plan = QUICK if args.quick else FULL
    plan.build = not args.no_build
    plan.real_db = args.db
    if args.no_browser:
        plan.browser_reps = 0
    if args.workdir:
        plan.workdir = args.workdir
    t0 = time.perf_counter()
    results = run(plan)
    results["total_s"] = time.perf_counter() - t0
    text = report.markdown(results)
    print(text)
    target = args.results or (None if args.quick else Path(__file__).with_name("RESULTS.md"))
    if target:
        target.write_text(text, encoding="utf-8")
        log(f"wrote {target}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
