"""Where the seconds go between a reader following a Map link and the map drawn (issue 19.4).

Why: "5.3 s to the map" says nothing about what to cut. This module times one fresh browser
visit to a Map URL on a warm server, phase by phase, from the page's own clock:

- static bundle: the HTML, then Streamlit's JS/CSS (resource timing of /static/);
- websocket: created and open (a hook on ``WebSocket``);
- script run: the rerun request sent until ``script_finished``; every ForwardMsg is kept with
  its arrival time and decoded afterwards (streamlit.proto), so the deck message, its size and
  any second run (e.g. a URL rewrite) are seen;
- deck chart code: the lazily loaded DeckGlJsonChart chunk (resource timing);
- deck JSON parse: a hook on ``JSON.parse`` for strings over 100 kB (the deck spec);
- layer build and first draw: main-thread long tasks from the deck message to the map drawn;
- drawn: the probe of bench.browser (site marks on the map canvas).

Server side, per URL: seconds per rerun and the app process's CPU seconds per rerun for the
same query string over the protocol (riskatlas.app_client), the figure issue 19.3 asks for.

``python -m bench.map_breakdown --app DIR --app DIR2 ...`` measures several checkouts of the
app (e.g. an export of main and this branch) on the same atlas in one run, one after the other,
so a before/after comparison shares the machine's conditions.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.browser import _probe_script
from bench.protocol_load import cpu_seconds
from riskatlas import server
from riskatlas.chromium import ARGS as CHROMIUM_ARGS
from riskatlas.chromium import PATH as CHROMIUM

URLS = ("", "brand=apple", "mineral=gold")

HOOKS = """
(() => {
  const T = window.__bd = {wsCreated: null, wsOpen: null, sends: [], msgs: [], parse: [], long: []};
  const OrigWS = window.WebSocket;
  class HookedWS extends OrigWS {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('_stcore/stream')) {
        T.wsCreated = performance.now();
        this.addEventListener('open', () => { T.wsOpen = performance.now(); });
        this.addEventListener('message', (e) => {
          const d = e.data;
          if (d instanceof ArrayBuffer) T.msgs.push([performance.now(), new Uint8Array(d.slice(0))]);
        });
        const send = this.send.bind(this);
        this.send = (d) => { T.sends.push(performance.now()); return send(d); };
      }
    }
  }
  window.WebSocket = HookedWS;
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    if (typeof text === 'string' && text.length > 100000) {
      const t0 = performance.now();
      const out = parse.call(this, text, reviver);
      T.parse.push([t0, performance.now(), text.length]);
      return out;
    }
    return parse.call(this, text, reviver);
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) T.long.push([e.startTime, e.duration]);
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {}
})();
"""

COLLECT = """
() => {
  const T = window.__bd;
  const b64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192)); return btoa(s); };
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource').map(r => [r.name, r.startTime, r.responseEnd, r.transferSize, r.decodedBodySize]);
  return {
    drawn: window.__mapDrawnAt, canvas: window.__canvasAt, probeReads: window.__probeReads,
    html: nav ? nav.responseEnd : null, dcl: nav ? nav.domContentLoadedEventEnd : null,
    wsCreated: T.wsCreated, wsOpen: T.wsOpen, sends: T.sends, parse: T.parse, long: T.long,
    msgs: T.msgs.map(([t, u8]) => [t, u8.length, b64(u8)]),
    resources: res,
  };
}
"""


def _decode(msgs: list) -> list[dict]:
    """Arrival time, size and kind of every ForwardMsg (deck / finished / other)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = []
    for t, n, b64 in msgs:
        fwd = ForwardMsg()
        fwd.ParseFromString(base64.b64decode(b64))
        kind = fwd.WhichOneof("type")
        what = kind
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            what = "element:" + str(fwd.delta.new_element.WhichOneof("type"))
        elif kind == "script_finished":
            what = "finished:" + ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
        elif kind == "ref_hash":
            what = "ref_hash"
        out.append({"t": t, "bytes": n, "what": what})
    return out


def phases(raw: dict) -> dict:
    """The visit's phases in ms from navigation start (None where not seen)."""
    msgs = _decode(raw["msgs"])
    drawn = raw["drawn"]
    static = [
        r for r in raw["resources"] if "/static/" in r[0] and r[1] < (raw["wsCreated"] or 1e12)
    ]
    chunk = [r for r in raw["resources"] if "DeckGlJsonChart" in r[0]]
    deck = [m for m in msgs if m["what"] == "element:deck_gl_json_chart"]
    finished = [m for m in msgs if m["what"].startswith("finished:")]
    before_drawn = [m for m in finished if m["t"] <= drawn]
    first_send = raw["sends"][0] if raw["sends"] else None
    deck_at = deck[0]["t"] if deck else None
    parse = [p for p in raw["parse"] if deck_at is None or p[0] >= deck_at - 1]
    long_after = [
        (s, d) for s, d in raw["long"] if deck_at is not None and s + d >= deck_at and s <= drawn
    ]
    return {
        "html": raw["html"],
        "static_done": max((r[2] for r in static), default=None),
        "static_bytes": sum(r[4] or 0 for r in static),
        "ws_created": raw["wsCreated"],
        "ws_open": raw["wsOpen"],
        "rerun_sent": first_send,
        "deck_msg": deck_at,
        "deck_bytes": deck[0]["bytes"] if deck else None,
        "script_finished": finished[0]["t"] if finished else None,
        "runs_before_drawn": len(before_drawn),
        "reruns_sent": len([s for s in raw["sends"] if s <= drawn]),
        "chunk_start": chunk[0][1] if chunk else None,
        "chunk_done": chunk[0][2] if chunk else None,
        "parse_ms": sum(p[1] - p[0] for p in parse),
        "parse_done": parse[0][1] if parse else None,
        "long_ms_deck_to_drawn": sum(d for _, d in long_after),
        "canvas": raw["canvas"],
        "drawn": drawn,
        "msg_bytes": sum(m["bytes"] for m in msgs),
        "probe_reads": raw.get("probeReads"),
    }


def chromium_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds so far of every chromium process this benchmark started, by pid, with the
    process's kind (gpu-process, renderer, browser, utility...), from /proc.

    Why: under load a visit's wall time says how busy the machine was; the CPU the browser
    spent on it (software WebGL in the GPU process, JavaScript in the renderer) does not move
    with the load, so a before/after pair can be compared on a shared machine."""
    tick = os.sysconf("SC_CLK_TCK")
    procs: dict[int, tuple[int, str, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / tick
        procs[int(entry)] = (int(fields[1]), cmd, cpu)
    mine = {os.getpid()}
    changed = True
    while changed:  # descendants of this process
        changed = False
        for pid, (ppid, _, _) in procs.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                changed = True
    out = {}
    for pid in mine:
        if pid not in procs or "chromium" not in procs[pid][1]:
            continue
        cmd = procs[pid][1]
        kind = cmd.split("--type=", 1)[1].split()[0] if "--type=" in cmd else "browser"
        out[pid] = (kind, procs[pid][2])
    return out


def cpu_spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds per process kind between two chromium_cpu() readings (processes started in
    between count from zero; processes that ended are left out)."""
    out: dict[str, float] = {}
    for pid, (kind, cpu) in after.items():
        out[kind] = out.get(kind, 0.0) + cpu - before.get(pid, (kind, 0.0))[1]
    return out


def visit(browser, url: str, timeout_s: float = 120.0, returning: bool = False) -> dict:
    """One fresh browser context: the phases of the visit. ``returning``: a reader coming back
    (the same context opens the URL a second time: its HTTP cache and compiled code are warm),
    and the phases of that second visit."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(HOOKS)
        page.add_init_script(_probe_script())
        for _ in range(2 if returning else 1):
            cpu0 = chromium_cpu()
            page.goto(url, wait_until="commit")
            page.wait_for_function(
                "window.__mapDrawnAt !== null", timeout=timeout_s * 1000, polling=50
            )
            spent = cpu_spent(cpu0, chromium_cpu())
            page.wait_for_timeout(300)  # let script_finished and the last long task be recorded
            got = phases(page.evaluate(COLLECT))
            got["gpu_cpu_ms"] = 1000 * spent.get("gpu-process", 0.0)
            got["renderer_cpu_ms"] = 1000 * spent.get("renderer", 0.0)
        return got
    finally:
        context.close()


async def _protocol_reruns(base: str, query: str, n: int) -> list[float]:
    from riskatlas.app_client import Reader

    reader = Reader(base)
    try:
        await reader.rerun(query)  # this session's first run (the view is then warm)
        return [await reader.rerun(query) for _ in range(n)]
    finally:
        await reader.close()


def server_side(base: str, pid: int, query: str, n: int) -> dict:
    """Seconds per rerun of ``query`` over the protocol, and the app's CPU seconds per rerun."""
    from concurrent.futures import ThreadPoolExecutor

    def run(k: int) -> list[float]:  # in a thread: Playwright's sync API holds an event loop
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _protocol_reruns(base, query, k)).result()

    run(1)  # warm any shared cache, untimed
    cpu0 = cpu_seconds([pid])
    times = run(n)
    cpu = cpu_seconds([pid]) - cpu0
    return {"rerun_s": statistics.median(times), "cpu_s_per_rerun": cpu / (n + 1)}


@contextmanager
def serve(app_dir: Path, db: Path, log: Path) -> Iterator[tuple[str, int]]:
    """`streamlit run <app_dir>/app.py` (the checkout's own config and code) on a free port."""
    port = server.free_port()
    env = {
        **os.environ,
        "RISKATLAS_DB": str(db),
        "RISKATLAS_CONTRIBUTIONS_DB": str(log.parent / "no_contributions.duckdb"),
    }
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_dir / "app.py"), *server.FLAGS]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*cmd, "--server.port", str(port)],
            cwd=app_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            server.wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120, proc)
            yield f"http://127.0.0.1:{port}", proc.pid
        finally:
            server.stop(proc)


def _median(visits: list[dict]) -> dict:
    return {
        k: statistics.median([v[k] for v in visits if v[k] is not None])
        if any(v[k] is not None for v in visits)
        else None
        for k in visits[0]
    }


def measure(apps: list[Path], db: Path, urls=URLS, reps: int = 3, reruns: int = 5) -> list[dict]:
    """Every app served at once; per URL a warm-up visit to each, then ``reps`` rounds of one
    fresh visit to each app in turn (so before and after share the machine's moments), one
    returning reader per app, and each app's server-side rerun time and CPU per rerun."""
    from contextlib import ExitStack

    from playwright.sync_api import sync_playwright

    logs = Path("/tmp") / f"map-breakdown-{os.getpid()}"
    logs.mkdir(parents=True, exist_ok=True)
    out = [{"app": str(a), "urls": {}} for a in apps]
    with ExitStack() as stack:
        served = [
            stack.enter_context(serve(a, db, logs / f"{i}-{a.name}.log"))
            for i, a in enumerate(apps)
        ]
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for query in urls:
                suffix = "/" + (f"?{query}" if query else "")
                for base, _ in served:
                    visit(browser, base + suffix, timeout_s=300)  # warm the server's caches
                runs: list[list[dict]] = [[] for _ in apps]
                for _ in range(reps):
                    for i, (base, _) in enumerate(served):
                        runs[i].append(visit(browser, base + suffix))
                for i, (base, pid) in enumerate(served):
                    out[i]["urls"][query or "/"] = {
                        "browser": _median(runs[i]),
                        "drawn_all": [v["drawn"] for v in runs[i]],
                        "returning": visit(browser, base + suffix, returning=True),
                        **server_side(base, pid, query, reruns),
                    }
        finally:
            browser.close()
    return out


def table(results: list[dict]) -> str:
    """Markdown: one column per (app, URL), one row per phase."""

    def ms(v):
        return "–" if v is None else f"{v:,.0f}"

    rows = [
        ("HTML received", "html"),
        ("static bundle loaded (JS/CSS)", "static_done"),
        ("websocket created", "ws_created"),
        ("websocket open", "ws_open"),
        ("rerun request sent", "rerun_sent"),
        ("deck message received", "deck_msg"),
        ("deck chart code loaded (lazy chunk)", "chunk_done"),
        ("deck JSON parsed", "parse_done"),
        ("script_finished received", "script_finished"),
        ("canvas shown", "canvas"),
        ("**map drawn**", "drawn"),
    ]
    heads = [f"{Path(r['app']).name} `{u}`" for r in results for u in r["urls"]]
    lines = ["| ms from navigation | " + " | ".join(heads) + " |"]
    lines.append("|---|" + "---|" * len(heads))
    cells = [(r, u) for r in results for u in r["urls"]]
    for label, key in rows:
        vals = [ms(r["urls"][u]["browser"][key]) for r, u in cells]
        lines.append(f"| {label} | " + " | ".join(vals) + " |")
    extra = [
        (
            "deck message, kB",
            lambda b, s: f"{b['deck_bytes'] / 1000:,.0f}" if b["deck_bytes"] else "–",
        ),
        ("deck JSON parse, ms", lambda b, s: f"{b['parse_ms']:,.0f}"),
        (
            "main-thread long tasks, deck message → drawn, ms",
            lambda b, s: f"{b['long_ms_deck_to_drawn']:,.0f}",
        ),
        ("script runs finished before drawn", lambda b, s: str(b["runs_before_drawn"])),
        (
            "canvas read back by the probe (frames drawn before the map)",
            lambda b, s: "–" if b.get("probe_reads") is None else f"{b['probe_reads']:g}",
        ),
        (
            "browser CPU, navigation → drawn: GPU process (software WebGL), ms",
            lambda b, s: f"{b['gpu_cpu_ms']:,.0f}",
        ),
        (
            "browser CPU, navigation → drawn: renderer (page's JavaScript, layout), ms",
            lambda b, s: f"{b['renderer_cpu_ms']:,.0f}",
        ),
        (
            "returning reader (same browser): map drawn, ms",
            lambda b, s: f"{s['returning']['drawn']:,.0f}",
        ),
        ("server: rerun of this URL (protocol), ms", lambda b, s: f"{s['rerun_s'] * 1000:,.0f}"),
        ("server: CPU per rerun, ms", lambda b, s: f"{s['cpu_s_per_rerun'] * 1000:,.0f}"),
    ]
    for label, fn in extra:
        vals = [fn(r["urls"][u]["browser"], r["urls"][u]) for r, u in cells]
        lines.append(f"| {label} | " + " | ".join(vals) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--app", action="append", type=Path, help="app checkout (default: this one)")
    p.add_argument("--db", type=Path, default=server.REPO_ROOT / "data" / "atlas.duckdb")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--reruns", type=int, default=5)
    p.add_argument("--url", action="append", help="Map query string ('' = home); repeatable")
    p.add_argument("--json", type=Path, help="also write the raw figures here")
    args = p.parse_args(argv)
    if not args.db.is_file():
        print(f"error: no atlas at {args.db}", file=sys.stderr)
        return 2
    apps = args.app or [server.REPO_ROOT]
    urls = tuple(args.url) if args.url else URLS
    t0 = time.time()
    load0 = os.getloadavg()[0]
    results = measure([a.resolve() for a in apps], args.db, urls, args.reps, args.reruns)
    print(
        f"load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
        f"{time.time() - t0:.0f} s"
    )
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
