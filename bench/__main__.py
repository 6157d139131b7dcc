"""Run the benchmarks and print one table: `python -m bench` (full), `python -m bench --quick`,
or `python -m bench --route-only` (the Map's own route beside Datasette and the naive route, and
the library work of filter reruns: no build, no page, no browser); `--ten-million` adds 10 M."""

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

from bench import app_bench, cache, datasette_cmp, hotspot, map_route, naive, report
from bench.common import REPO, load_average, machine
from riskatlas import settings

TEN_M = 10_000_000


@dataclass
class Plan:
    """What one run measures, and how often."""

    mode: str
    scales: tuple[int, ...]  # synthetic sizes; the real database is always measured
    query_reps: int = 20
    route_budget_s: float = 20.0  # per route figure: slow routes get fewer repetitions
    rerun_reps: int = 3  # per filter change, library work only
    # which scales (0 = real) get the slower side measurements
    datasette_at: tuple[int, ...] = (0, 100_000, 1_000_000, TEN_M)
    naive_at: tuple[int, ...] = (0, 100_000, 1_000_000)  # 10 M: gigabytes of JSON, not run
    # scales with the naive join over the source tables (None = every scale)
    join_at: tuple[int, ...] | None = None
    app_at: tuple[int, ...] = (0, 100_000, 1_000_000, TEN_M)  # the page through AppTest
    app_timeout_s: dict[int, float] = field(default_factory=dict)  # per scale, 0 = real
    browser_reps: int = 0
    cold_build: bool = False  # also time a build in a fresh process with an empty cache
    warm_build: bool = False  # build once untimed first, so the timed build has warm caches
    include_real: bool = True  # measure the real database too (the smoke test skips it)
    build: bool = True
    real_db: Path | None = None
    workdir: Path = Path(tempfile.gettempdir()) / "riskatlas-bench"
    # where synthetic atlases and SQLite copies are kept between runs (None = the workdir, whose
    # files of an older real atlas are pruned); a cache given by name is never pruned
    cache_dir: Path | None = None

    def inputs_dir(self) -> Path:
        return self.cache_dir or self.workdir

    def app_timeout(self, n: int) -> float:
        return self.app_timeout_s.get(n, max(self.app_timeout_s.values(), default=300.0))


QUICK = Plan(
    mode="quick",
    scales=(100_000, 1_000_000),
    query_reps=20,
    route_budget_s=3.0,
    datasette_at=(0, 1_000_000),
    naive_at=(0, 100_000),
    app_at=(0,),
    app_timeout_s={0: 30.0, 100_000: 12.0, 1_000_000: 12.0},
    browser_reps=0,
)
FULL = Plan(
    mode="full",
    scales=(100_000, 1_000_000),
    query_reps=20,
    route_budget_s=20.0,
    app_timeout_s={0: 120.0, 100_000: 120.0, 1_000_000: 300.0, TEN_M: 300.0},
    browser_reps=3,
    cold_build=True,
    warm_build=True,
)
ROUTE = Plan(
    mode="route-only",
    scales=(100_000, 1_000_000),
    query_reps=20,
    route_budget_s=20.0,
    app_at=(),
    build=False,
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
    ctx: dict = {}  # the other routes' rows, checked against the page's tables
    for part in (_counts, _join, _datasette, _naive, _map_route, _reruns, _app):
        try:
            part(plan, n, db, name, params, r, ctx)
        except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
            traceback.print_exc()
            r["errors"][part.__name__[1:]] = f"{type(exc).__name__}: {str(exc)[:160]}"
    return r


def _label(n: int) -> str:
    return "real" if n == 0 else f"{n:,}"


def _counts(plan, n, db, name, params, r, ctx):
    import duckdb

    from riskatlas import sql

    con = duckdb.connect(str(db), read_only=True)
    try:
        r["sites"], r["located"], r["links"] = sql.execute(con, "bench_counts").fetchone()
    finally:
        con.close()


def _map_route(plan, n, db, name, params, r, ctx):
    """The page's own table route (counts + ranked tables), for the brand and mineral and for
    the brand alone (its widest view), every cache cleared before each repetition."""
    log(f"{_label(n)}: the Map's table route (bounded to {plan.route_budget_s:.0f}s)")
    with map_route.atlas(db):
        state = map_route.state_for(params)
        r["route"], r["route_before"] = map_route.timed_table_routes(
            state, plan.query_reps, plan.route_budget_s
        )
        view, frames = map_route.table_route(state)
        for key, rows in ctx.items():  # the naive route and Datasette: the page's rows?
            r[f"{key}_same_rows"] = hotspot.same_as_page(rows, frames)
        r["route_rows"] = sum(len(f) for f in frames.values())
        r["route_view_rows"] = view.n_rows
        brand = map_route.state_for(params, with_mineral=False)
        r["route_brand"], r["route_brand_before"] = map_route.timed_table_routes(
            brand, plan.query_reps, plan.route_budget_s
        )
        r["route_brand_rows"] = map_route.table_route(brand)[0].n_rows


def _join(plan, n, db, name, params, r, ctx):
    if plan.join_at is not None and n not in plan.join_at:
        return
    log(f"{_label(n)}: the naive route, one join over the source tables x{plan.query_reps}")
    t, joined = hotspot.time_join(db, params, plan.query_reps)
    r["join"], r["join_rows"] = t.samples, len(joined)
    ctx["join"] = joined.to_dict("records")


def _datasette(plan, n, db, name, params, r, ctx):
    if n not in plan.datasette_at:
        return
    log(f"{_label(n)}: SQLite copy for Datasette")
    sq, made = cache.sqlite_copy(db, name, plan.inputs_dir())
    r["sqlite_copy_s"] = made
    log(f"{_label(n)}: Datasette x{plan.query_reps}")
    with datasette_cmp.serve(sq, plan.workdir / "datasette.log") as url:
        t, rows = datasette_cmp.time_datasette(url, params, plan.query_reps)
    r["datasette"], r["datasette_rows"] = t.samples, len(rows)
    ctx["datasette"] = rows
    r["sqlite"] = datasette_cmp.time_sqlite(sq, params, plan.query_reps).samples


def _naive(plan, n, db, name, params, r, ctx):
    if n in plan.naive_at:
        log(f"{_label(n)}: naive pydeck")
        r["naive"] = naive.measure(db)


def _reruns(plan, n, db, name, params, r, ctx):
    """The library work of each filter change (no Streamlit), with its breakdown."""
    log(f"{_label(n)}: filter reruns, library work x{plan.rerun_reps}")
    with map_route.atlas(db):
        r["reruns"] = map_route.timed_reruns(map_route.rerun_states(params), plan.rerun_reps)


def _app(plan, n, db, name, params, r, ctx):
    if n not in plan.app_at:
        return
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
    plan.inputs_dir().mkdir(parents=True, exist_ok=True)
    for stale in [] if plan.cache_dir else cache.prune(plan.workdir, real_key):
        log(f"removed stale {stale}")
    params = hotspot.pick_params(real)
    results["params"] = params
    dbs = [(0, real, f"real_{real_key}")] if plan.include_real else []
    for n in plan.scales:
        log(f"synthetic atlas of {n:,} sites")
        path, made = cache.synthetic_db(real, real_key, n, plan.inputs_dir())
        how = "reused" if made is None else f"made in {made:.0f} s"
        log(f"synthetic atlas of {n:,} sites: {how} ({path})")
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
    p.add_argument(
        "--route-only",
        action="store_true",
        help="only the Map's route vs Datasette and the naive route, and filter reruns "
        "(an existing atlas, no page, no browser); written to bench/RESULTS.md's route section",
    )
    p.add_argument("--ten-million", action="store_true", help="also measure 10 M synthetic sites")
    p.add_argument(
        "--ten-million-route",
        action="store_true",
        help="also measure 10 M synthetic sites, only the Map's route and the filter reruns "
        "(no SQLite copy for Datasette, no naive join: minutes less at that size)",
    )
    p.add_argument("--scales", help="synthetic sizes instead of the plan's, e.g. 100000,1000000")
    p.add_argument(
        "--no-real",
        action="store_true",
        help="measure only the synthetic sizes (the real atlas is still read to draw them)",
    )
    p.add_argument("--reps", type=int, help="repetitions of each query figure (default 20)")
    p.add_argument("--no-build", action="store_true", help="measure an existing atlas (no build)")
    p.add_argument("--db", type=Path, help="the real atlas to use with --no-build")
    p.add_argument("--no-browser", action="store_true", help="skip the browser measurement")
    p.add_argument("--workdir", type=Path, help="where databases go (default: a temp dir)")
    p.add_argument(
        "--cache",
        type=Path,
        default=settings.BENCH_CACHE.path(),
        help="keep synthetic atlases and SQLite copies here between runs, keyed by the real "
        "atlas's content and the generator's code (default: $RISKATLAS_BENCH_CACHE, else the "
        "workdir), e.g. /work/bench-cache: a second run reuses the 10 M atlas",
    )
    p.add_argument("--results", type=Path, help="write the Markdown table here")
    p.add_argument("--json", type=Path, help="also write the raw results as JSON here")
    p.add_argument(
        "--pages",
        action="store_true",
        help="only the per-page browser times (bench/page_times.py): write their section of "
        "RESULTS.md (or --results) and stop",
    )
    args = p.parse_args(argv)
    if args.pages:
        from bench import page_times

        extra = ["--db", str(args.db)] if args.db else []
        target = args.results or Path(__file__).with_name("RESULTS.md")
        return page_times.main(extra, write=target)

    plan = ROUTE if args.route_only else (QUICK if args.quick else FULL)
    if args.scales:
        plan.scales = tuple(int(x) for x in args.scales.split(","))
    if args.ten_million or args.ten_million_route:
        plan.scales = (*plan.scales, TEN_M)
    if args.ten_million_route and not args.ten_million:
        plan.datasette_at = tuple(n for n in plan.datasette_at if n != TEN_M)
        plan.join_at = tuple(n for n in (0, *plan.scales) if n != TEN_M)
    if args.reps:
        plan.query_reps = args.reps
    if args.no_real:
        plan.include_real = False
    plan.build = plan.build and not args.no_build
    plan.real_db = args.db
    if args.no_browser:
        plan.browser_reps = 0
    if args.workdir:
        plan.workdir = args.workdir
    if args.cache:
        plan.cache_dir = Path(args.cache)
    t0 = time.perf_counter()
    results = run(plan)
    results["argv"] = list(sys.argv[1:] if argv is None else argv)
    results["total_s"] = time.perf_counter() - t0
    default = Path(__file__).with_name("RESULTS.md")
    if args.route_only:
        text = report.route_section(results)
        print(text)
        target = args.results or default
        old = target.read_text(encoding="utf-8") if target.is_file() else ""
        target.write_text(report.replace_section(old, text), encoding="utf-8")
        log(f"wrote the route section of {target}")
    else:
        text = report.markdown(results)
        print(text)
        target = args.results or (None if args.quick else default)
        if target:
            from bench.page_times import keep_section

            target.write_text(keep_section(text, target), encoding="utf-8")
            log(f"wrote {target}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
