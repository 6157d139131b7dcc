"""Per page: browser time from navigation to the page's main content visible, warm server.

Why: issue 17 measured the Countries page at 10.5-11.7 s before its choropleth showed; a reader
leaves long before. Each page's *main content* is the thing its reader came for (below, PAGES),
and the figure is navigation start -> that element visible in Debian chromium (Playwright,
the browser tests' flags), on a server that has already served every page once (warm caches),
in a fresh browser context per visit. The whole run (script idle) is timed too.

Run: `.venv/bin/python -m bench --pages` (writes the section of bench/RESULTS.md) or
`.venv/bin/python -m bench.page_times [--db PATH] [--reps N]` (prints it).

Before / after on a shared machine: `--app DIR --app DIR2 [--only Map]` serves each checkout of
the app (e.g. `git archive <commit> | tar -x -C DIR` and this one) at once and visits them in
turn, one fresh visit of each per round, so that both see the same moments of the machine's
load; the table then has a column per checkout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import load_average, machine
from riskatlas import paths, server
from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TARGET_S = 3.0
QUIET_LOAD_PER_CORE = 1.5  # 1-minute load average per core still called quiet
START = "<!-- page_times:start -->"
END = "<!-- page_times:end -->"


@dataclass(frozen=True)
class PageCheck:
    """One page, the URL a reader opens, and what counts as its main content."""

    page: str
    url: str  # path and query after the server's base URL
    main: str  # what the reader came for, in words
    selector: str = ""  # the element that shows it (visible), or
    script: str = ""  # a JS predicate that is true once it shows


def _site_with_facts(db: Path) -> str:
    """An IPIS site with dated facts (the Site page's main content is its facts table)."""
    import duckdb

    from riskatlas import sql

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = sql.run(con, "bench_busiest_ipis_site", {"source_id": "ipis"})
    finally:
        con.close()
    return str(rows["site_id"].iloc[0]) if len(rows) else ""


def pages(db: Path) -> list[PageCheck]:
    """The pages as a reader opens them, each with its main content."""
    from bench.browser import MAP_SELECTOR

    frame = '[data-testid="stDataFrame"]'
    site = _site_with_facts(db)
    return [
        PageCheck(
            "Map",
            "/",
            "the map canvas shows site points",
            script="window.__mapDrawnAt !== null",
        ),
        PageCheck("Brands", "/brands", "the brands' overview table", selector=frame),
        PageCheck(
            "What changed",
            "/changes?brand=apple&from=2012&to=2022",
            "the table of changes",
            selector=frame,
        ),
        PageCheck("Minerals", "/minerals", "the minerals table", selector=frame),
        PageCheck(
            "Countries",
            "/countries",
            "the indicator map (canvas) and its caption",
            script=(
                "!!document.querySelector('" + MAP_SELECTOR + "') && "
                "[...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
                ".some(e => e.innerText.includes('countries with a value'))"
            ),
        ),
        PageCheck(
            "Site (one site)",
            f"/site?site={site}",
            "the site's facts table",
            selector='[data-testid="stTable"]',
        ),
        PageCheck(
            "Site (finder)", "/site", "the search box", selector='[data-testid="stTextInput"]'
        ),
        PageCheck("Sources", "/sources", "the sources table", selector=frame),
        PageCheck(
            "Import",
            "/import_report",
            "the upload form",
            selector='[data-testid="stFileUploader"]',
        ),
        PageCheck(
            "Contribute",
            "/contribute",
            "the upload form (first tab)",
            selector='[data-testid="stFileUploader"]',
        ),
    ]


def _timed(page, base: str, check: PageCheck, timeout_s: float) -> dict:
    t0 = time.perf_counter()
    page.goto(base + check.url, wait_until="commit")
    if check.selector:
        page.wait_for_selector(check.selector, state="visible", timeout=timeout_s * 1000)
    else:
        page.wait_for_function(check.script, timeout=timeout_s * 1000, polling=50)
    main = time.perf_counter() - t0
    page.wait_for_selector(IDLE, timeout=timeout_s * 1000)
    return {"main": main, "idle": max(time.perf_counter() - t0, main)}


def _visit(browser, base: str, check: PageCheck, timeout_s: float) -> dict:
    """A first visit in a fresh context (empty browser cache: the app's scripts are fetched
    and compiled), then a returning visit in the same context (the browser's cache warm):
    seconds to main content visible, and to the script idle; and the CPU seconds the browser
    spent on the first visit up to idle (renderer = the page's JavaScript, gpu = software
    WebGL), a figure that, unlike the wall time, a loaded machine does not move."""
    from bench.browser import _probe_script
    from bench.map_breakdown import chromium_cpu, cpu_spent

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        if check.page == "Map":
            page.add_init_script(_probe_script())
        before = chromium_cpu()
        first = _timed(page, base, check, timeout_s)
        spent = cpu_spent(before, chromium_cpu())
        again = _timed(page, base, check, timeout_s)
        return {
            **first,
            "again": again["main"],
            "cpu": sum(spent.values()),
            "cpu_renderer": spent.get("renderer", 0.0),
            "cpu_gpu": spent.get("gpu-process", 0.0),
        }
    finally:
        context.close()


def measure(
    db: Path,
    reps: int = 3,
    timeout_s: float = 90.0,
    log: Path | None = None,
    only: tuple[str, ...] = (),
    apps: tuple[Path, ...] = (),
) -> dict:
    """Every page once to warm the server, then ``reps`` timed visits of each (``only``: the
    pages whose names start so). ``apps``: checkouts of the app to compare, all served at once
    and visited in turn (each page's visits alternate between them); none = this checkout."""
    import contextlib

    from playwright.sync_api import sync_playwright

    checks = [c for c in pages(db) if not only or c.page.lower().startswith(only)]
    names = [str(a) for a in apps] or [""]
    out: dict = {"reps": reps, "load_start": load_average(), "pages": [], "apps": names}
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        if apps:
            from bench.map_breakdown import serve

            logs = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            bases = [
                stack.enter_context(serve(Path(a), db, logs / f"{i}.log"))[0]
                for i, a in enumerate(apps)
            ]
        else:
            bases = [stack.enter_context(server.running(db=db, log=log))]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for check in checks:  # warm-up: caches and the pages' first imports
                for base in bases:
                    try:
                        _visit(browser, base, check, timeout_s)
                    except Exception:  # noqa: BLE001 - the timed visits say what fails
                        pass
            for check in checks:
                visits: list[list[dict]] = [[] for _ in bases]
                errors: list[str | None] = [None for _ in bases]
                for _ in range(reps):
                    for i, base in enumerate(bases):
                        try:
                            visits[i].append(_visit(browser, base, check, timeout_s))
                        except Exception as exc:  # noqa: BLE001 - a page that never shows
                            errors[i] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                out["pages"].append(
                    {"check": check, "visits": visits[0], "error": errors[0], "by_app": visits}
                )
        finally:
            browser.close()
    out["load_end"] = load_average()
    return out


def comparison(result: dict) -> str:
    """Markdown: one row per page, per checkout its first-visit and returning times (median /
    max) and browser CPU, from visits made in turn (``measure(apps=...)``)."""
    apps = result["apps"]
    head = "| Page | URL |"
    for a in apps:
        name = Path(a).name or "this checkout"
        head += f" `{name}` first visit | `{name}` returning | `{name}` browser CPU (JS / WebGL) |"
    lines = [
        f"Load average {result['load_start']} at the start and {result['load_end']} at the end; "
        f"n = {result['reps']} visits per page and checkout, alternating; median / max.",
        "",
        head,
        "|---|---|" + "---|---|---|" * len(apps),
    ]
    for p in result["pages"]:
        c: PageCheck = p["check"]
        row = f"| {c.page} | `{c.url}` |"
        for visits in p["by_app"]:
            row += (
                f" {_fmt([v['main'] for v in visits])} | {_fmt([v['again'] for v in visits])} "
                f"| {_cpu(visits)} |"
            )
        lines.append(row)
    return "\n".join(lines)


def _machine() -> str:
    m = machine()
    return ", ".join(f"{v}" for v in m.values())


def _met(values: list[float]) -> str:
    return "–" if not values else ("yes" if statistics.median(values) <= TARGET_S else "no")


def _fmt(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.2f} s / {max(values):.2f} s"


def markdown(result: dict, db: Path) -> str:
    """The RESULTS.md section (between START and END markers)."""
    lines = [
        START,
        "## Page speed: navigation → main content visible (issue 17)",
        "",
        f"Run {time.strftime('%Y-%m-%dT%H:%M:%S%z')} on {_machine()}; database {db.name}; "
        f"load average {result['load_start']} at the start and {result['load_end']} "
        f"at the end. {_load_words(result)}",
        "Reproduce: `.venv/bin/python -m bench --pages` (this section) or "
        "`.venv/bin/python -m bench.page_times`.",
        "",
        f"Warm server (every page served once first). Each visit: a fresh chromium context "
        "(nothing cached: a first-time reader, the app's JavaScript fetched and compiled), then "
        "the same URL again in that context (a returning reader). "
        f"n = {result['reps']} visits per page; median / max. Target: main content within "
        f"{TARGET_S:g} s. 'Page idle' is when the page's script has finished (every section "
        "shown). 'Browser CPU' is the CPU seconds chromium spent on the first visit up to page "
        "idle, all processes (of which the page's JavaScript / software WebGL): unlike the wall "
        "times, a loaded machine does not move it, so it compares runs made under any load.",
        "",
        "| Page | URL | Main content | Navigation → main content, first visit | → page idle "
        "| ≤ 3 s | Returning visit (browser cache warm) → main content | ≤ 3 s "
        "| Browser CPU, first visit (JS / WebGL) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in result["pages"]:
        c: PageCheck = p["check"]
        mains = [v["main"] for v in p["visits"]]
        idles = [v["idle"] for v in p["visits"]]
        agains = [v["again"] for v in p["visits"]]
        err = f" ({p['error']})" if p["error"] else ""
        lines.append(
            f"| {c.page} | `{c.url}` | {c.main} | {_fmt(mains)}{err} | {_fmt(idles)} "
            f"| {_met(mains)} | {_fmt(agains)} | {_met(agains)} | {_cpu(p['visits'])} |"
        )
    lines += [
        "",
        "The Map row's 'main content' is the in-page probe of bench/browser.py (site marks on "
        "the map canvas, read back after a WebGL draw). Where the two map pages' seconds go, "
        "and a before/after run of the last change, follow this table.",
        END,
    ]
    return "\n".join(lines)


def _cpu(visits: list[dict]) -> str:
    """Median browser CPU seconds of the first visits, with the renderer's and the GPU
    process's part."""
    if not visits or "cpu" not in visits[0]:
        return "–"

    def med(key: str) -> float:
        return statistics.median(v[key] for v in visits)

    return f"{med('cpu'):.1f} s ({med('cpu_renderer'):.1f} / {med('cpu_gpu'):.1f})"


def _load_words(result: dict) -> str:
    """Whether other work shared the cores: above a load of 1 per core the figures carry
    waiting for a CPU, and the section says so rather than pass them as a quiet machine's."""
    loads = [x for x in (result.get("load_start"), result.get("load_end")) if x is not None]
    if loads and max(float(x) for x in loads) > 2.0 * QUIET_LOAD_PER_CORE:
        return (
            "**Other work shared the 2 cores**: these are wall-clock times under that load, "
            "not a quiet machine's."
        )
    return "A quiet machine (nothing else running)."


def write_section(text: str, target: Path) -> None:
    """Replace this section of RESULTS.md (or append it), leaving the rest as it is."""
    old = target.read_text(encoding="utf-8") if target.is_file() else ""
    if START in old and END in old:
        head, _, rest = old.partition(START)
        _, _, tail = rest.partition(END)
        new = head + text + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    target.write_text(new, encoding="utf-8")


def keep_section(text: str, target: Path) -> str:
    """A full bench run's new RESULTS.md text with this section of the old file kept."""
    old = target.read_text(encoding="utf-8") if target.is_file() else ""
    if START not in old or END not in old or START in text:
        return text
    section = START + old.partition(START)[2].partition(END)[0] + END
    return text.rstrip("\n") + "\n\n" + section + "\n"


def main(argv: list[str] | None = None, write: Path | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.page_times", description=__doc__)
    p.add_argument("--db", type=Path, help="the atlas to serve (default: $RISKATLAS_DB)")
    p.add_argument("--reps", type=int, default=3, help="timed visits per page (default 3)")
    p.add_argument("--write", action="store_true", help="write the section into RESULTS.md")
    p.add_argument("--only", action="append", default=[], help="pages whose names start so")
    p.add_argument(
        "--app",
        action="append",
        type=Path,
        default=[],
        help="a checkout of the app to compare (repeatable; visits alternate between them)",
    )
    args = p.parse_args(argv)
    db = args.db or paths.db_path()
    if not Path(db).is_file():
        print(f"no atlas at {db}: build it first (python -m riskatlas build)", file=sys.stderr)
        return 2
    missing = [a for a in args.app if not (a / "app.py").is_file()]
    if missing:
        print(f"not a checkout of the app (no app.py): {missing[0]}", file=sys.stderr)
        return 2
    only = tuple(o.lower() for o in args.only)
    if args.app:
        result = measure(Path(db), args.reps, only=only, apps=tuple(args.app))
        print(comparison(result))
        return 0
    result = measure(Path(db), args.reps, only=only)
    text = markdown(result, Path(db))
    print(text)
    target = write or (Path(__file__).with_name("RESULTS.md") if args.write else None)
    if target:
        write_section(text, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
