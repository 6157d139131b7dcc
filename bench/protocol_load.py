"""Many readers at protocol level against the real server, one process or replicas behind nginx.

Each simulated reader (riskatlas.app_client.Reader, asyncio) opens a Map URL, then every `think`
seconds (uniform between half and one and a half times it) follows another filtered Map URL, as
a reader clicking links does. What is measured is what the reader waits for: request to
`script_finished`, per rerun. A reader whose replica dies reconnects, as the browser does, and
repeats its action; only a failure after the reconnect counts as an error.

`capacity()` ramps the number of readers and reports the largest at which rerun p95 stays at or
under a bound with no error, for one process and for R replicas behind the proxy.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import percentile
from riskatlas.app_client import Reader, RerunError

# What readers follow: the story's link most of the time, then the filters around it.
POPULAR = ["brand=samsung-electronics&mineral=cobalt", "", "brand=apple", "mineral=gold"]
CHOICES = {
    "brand": ["", "samsung-electronics", "apple", "honda-motor"],
    "mineral": ["", "cobalt", "gold", "tin", "tantalum,tungsten"],
    "tier": ["", "artisanal_mine", "smelter_refiner"],
    "min_risk": ["", "30", "60"],
}


def every_url() -> list[str]:
    """Every query string a reader can follow (the popular views and each filter set)."""
    import itertools

    keys = list(CHOICES)
    out = list(POPULAR)
    for values in itertools.product(*(CHOICES[k] for k in keys)):
        q = urlencode({k: v for k, v in zip(keys, values, strict=True) if v}, safe=",")
        if q not in out:
            out.append(q)
    return out


async def _warm(bases: list[str]) -> None:
    """Visit every URL readers can follow once on each app process (untimed), so that the run
    measures serving views every session shares (the caches keyed by the filter state), not the
    first computation of each view: what a server that has run for a while serves."""

    async def one(base: str) -> None:
        reader = Reader(base)
        try:
            for q in every_url():
                await reader.rerun(q)
        finally:
            await reader.close()

    await asyncio.gather(*(one(b) for b in bases))


def reader_url(rng: random.Random) -> str:
    """A Map query string: a popular view half of the time, else a random filter set."""
    if rng.random() < 0.5:
        return rng.choice(POPULAR)
    params = {k: rng.choice(v) for k, v in CHOICES.items()}
    return urlencode({k: v for k, v in params.items() if v}, safe=",")


@dataclass
class LoadStats:
    first: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reconnects: int = 0
    after_kill_ok: int = 0  # actions that succeeded after a reconnect caused by a kill

    def summary(self) -> dict:
        def s(xs):
            return {
                "n": len(xs),
                "p50": percentile(xs, 50) if xs else None,
                "p95": percentile(xs, 95) if xs else None,
                "max": max(xs) if xs else None,
            }

        return {
            "first": s(self.first),
            "rerun": s(self.reruns),
            "errors": len(self.errors),
            "error_samples": self.errors[:5],
            "reconnects": self.reconnects,
            "after_kill_ok": self.after_kill_ok,
        }


async def _reader(base: str, seed: int, think: float, deadline: float, stats: LoadStats):
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, min(think, 5.0)))  # readers arrive over a few seconds
    reader = Reader(base)
    first = True
    try:
        while time.monotonic() < deadline:
            query = reader_url(rng)
            try:
                took = await reader.rerun(query)
            except RerunError:
                stats.reconnects += 1
                try:  # the browser reconnects and asks again
                    await reader.reconnect()
                    took = await reader.rerun(query)
                    stats.after_kill_ok += 1
                except (RerunError, OSError) as exc:
                    stats.errors.append(f"{type(exc).__name__}: {exc}")
                    await reader.close()
                    reader = Reader(base)
                    continue
            except OSError as exc:
                stats.errors.append(f"{type(exc).__name__}: {exc}")
                reader = Reader(base)
                continue
            (stats.first if first else stats.reruns).append(took)
            first = False
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    finally:
        await reader.close()


async def _run(base: str, users: int, think: float, seconds: float, kill=None) -> LoadStats:
    stats = LoadStats()
    deadline = time.monotonic() + seconds
    tasks = [_reader(base, 1000 + i, think, deadline, stats) for i in range(users)]
    if kill is not None:
        tasks.append(kill)
    await asyncio.gather(*tasks)
    return stats


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


# the caches every session shares, keyed by the filter state (riskatlas.settings.VIEW_CACHE)
VIEW_CACHES = ("riskatlas.ui.map_view._map", "riskatlas.ui.map_results.shown_tables")
_LOOKUP = re.compile(r'^cache_lookups_total\{cache="([^"]+)",[^}]*result="(hit|miss)"\} (\d+)')


def cache_lookups(bases: list[str]) -> dict[str, dict[str, int]]:
    """Hits and misses of the shared view caches, summed over the app processes, read from
    Streamlit's own counters (``/_stcore/metrics``): whether a reader's view was served from
    memory or computed for them, counted by the server rather than guessed from timings."""
    out = {name: {"hit": 0, "miss": 0} for name in VIEW_CACHES}
    for base in bases:
        url = base + "/_stcore/metrics?families=cache_lookups"
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback
                text = resp.read().decode("utf-8", "replace")
        except OSError:
            continue
        for line in text.splitlines():
            m = _LOOKUP.match(line)
            if m and m.group(1) in out:
                out[m.group(1)][m.group(2)] += int(m.group(3))
    return out


def _lookups_between(before: dict, after: dict) -> dict[str, dict[str, int]]:
    """Lookups during the run (a replica restarted by a kill starts its counters at 0)."""
    return {
        name: {k: max(0, after[name][k] - before[name][k]) for k in ("hit", "miss")}
        for name in after
    }


@contextmanager
def serving(db: Path, replicas: int, via_proxy: bool, log_dir: Path) -> Iterator[tuple]:
    """(base URL, the replicas object or None, the app pids) for one run; each app process has
    warmed the story's links (POPULAR) before it is yielded."""
    from riskatlas import warmup

    env = {**os.environ, "RISKATLAS_DB": str(db)}
    if replicas > 1 or via_proxy:
        from riskatlas.replicas import running

        with running(replicas, env=env, log_dir=log_dir, warm_views=POPULAR) as reps:
            reps.wait_warm()
            yield reps.url, reps, [p.pid for p in reps.procs.values()]
    else:
        import subprocess

        from riskatlas import server

        port = server.free_port()
        with open(log_dir / "streamlit.log", "w") as out:
            proc = subprocess.Popen(
                server.command(port), cwd=server.REPO_ROOT, env=env, stdout=out, stderr=out
            )
            try:
                server.wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120, proc)
                warmup.warm(f"http://127.0.0.1:{port}", POPULAR)  # as riskatlas.server does
                yield f"http://127.0.0.1:{port}", None, [proc.pid]
            finally:
                server.stop(proc)


async def _kill_one_after(reps, after: float, record: dict) -> None:
    """kill -9 the first replica after ``after`` seconds (the supervisor restarts it)."""
    await asyncio.sleep(after)
    port = reps.ports[0]
    os.kill(reps.procs[port].pid, signal.SIGKILL)
    record["killed_port"] = port
    record["killed_at_s"] = after


def run_load(
    db: Path,
    users: int,
    think: float,
    seconds: float,
    replicas: int = 1,
    via_proxy: bool = False,
    kill_after: float | None = None,
    log_dir: Path | None = None,
    warm: bool = False,
) -> dict:
    """One load run; returns the readers' figures, CPU per rerun, and any kill's outcome.
    ``warm``: every URL readers can follow visited once on each process first (untimed)."""
    log_dir = log_dir or Path("/tmp")
    log_dir.mkdir(parents=True, exist_ok=True)
    with serving(db, replicas, via_proxy, log_dir) as (base, reps, pids):
        # the servers warmed the story's links (POPULAR) as a deployment for a story does
        # (riskatlas.warmup, RISKATLAS_WARM_VIEWS); --warm: every other view readers follow too
        if warm:
            ports = list(reps.ports) if reps is not None else []
            asyncio.run(_warm([f"http://127.0.0.1:{p}" for p in ports] or [base]))
        app_bases = [f"http://127.0.0.1:{p}" for p in reps.ports] if reps is not None else [base]
        lookups0 = cache_lookups(app_bases)
        cpu0 = cpu_seconds(pids)
        record: dict = {}
        kill = _kill_one_after(reps, kill_after, record) if (reps and kill_after) else None
        t0, own0 = time.perf_counter(), time.process_time()
        stats = asyncio.run(_run(base, users, think, seconds, kill))
        wall = time.perf_counter() - t0
        own = time.process_time() - own0  # the load generator's own CPU: a core of it = a floor
        cpu = cpu_seconds(pids) - cpu0
        lookups = _lookups_between(lookups0, cache_lookups(app_bases))
        if reps is not None:
            record["restarts"] = dict(reps.restarts)
    out = {
        "users": users,
        "think_s": think,
        "seconds": seconds,
        "replicas": replicas,
        "via_proxy": via_proxy or replicas > 1,
        "warm": warm,
        "wall_s": wall,
        **stats.summary(),
        "cpu_s_per_rerun": cpu / max(1, len(stats.reruns) + len(stats.first)),
        "view_cache": lookups,
        "loadgen_cpu_share": own / wall if wall else 0.0,
        **({"kill": record} if record else {}),
    }
    return out


def view_costs(db: Path, views: int = 60, log_dir: Path | None = None) -> dict:
    """What one app process spends (CPU seconds, /proc) per kind of request, one at a time:

    - a view no reader asked for yet (``views`` of the filter sets readers follow, in one
      session: every map, table and count computed);
    - a new reader's first visit to a view already computed (a new session each);
    - a rerun to another view already computed, in an open session.

    Why: the capacity of a server is these costs times how often readers ask; "a rerun costs
    34 ms" said nothing about the first two (issue 19.3, CPU per rerun before and after)."""
    log_dir = log_dir or Path("/tmp")
    queries = [q for q in every_url() if q not in POPULAR][:views]

    async def measure(base: str, pid: int) -> dict:
        out = {}
        reader = Reader(base)
        cpu0, t0 = cpu_seconds([pid]), time.perf_counter()
        for q in queries:
            await reader.rerun(q)
        out["cold_view"] = (cpu_seconds([pid]) - cpu0) / len(queries)
        out["cold_view_wall"] = (time.perf_counter() - t0) / len(queries)
        await reader.close()
        cpu0 = cpu_seconds([pid])
        for q in queries:
            fresh = Reader(base)
            await fresh.rerun(q)
            await fresh.close()
        out["first_visit_cached"] = (cpu_seconds([pid]) - cpu0) / len(queries)
        reader = Reader(base)
        await reader.rerun(queries[0])
        cpu0 = cpu_seconds([pid])
        for i in range(len(queries)):
            await reader.rerun(queries[(i * 7 + 1) % len(queries)])
        out["rerun_cached"] = (cpu_seconds([pid]) - cpu0) / len(queries)
        await reader.close()
        return out

    with serving(db, 1, False, log_dir) as (base, _reps, pids):
        costs = asyncio.run(measure(base, pids[0]))
        lookups = cache_lookups([base])
    return {"views": len(queries), **costs, "view_cache": lookups}


def capacity(
    db: Path,
    replicas: int,
    think: float,
    seconds: float,
    steps: list[int],
    bound: float = 1.0,
    log_dir: Path | None = None,
    warm: bool = False,
) -> dict:
    """The largest number of readers in ``steps`` with rerun p95 <= ``bound`` and no error."""
    best, runs = 0, []
    for users in steps:
        r = run_load(db, users, think, seconds, replicas, replicas > 1, log_dir=log_dir, warm=warm)
        runs.append(r)
        p95 = r["rerun"]["p95"]
        ok = r["errors"] == 0 and p95 is not None and p95 <= bound
        maps = r["view_cache"][VIEW_CACHES[0]]
        first = r["first"]["p50"]
        print(
            f"  {replicas} replica(s), {users} readers: rerun p95 "
            f"{p95 if p95 is None else round(p95, 2)} s (p50 "
            f"{r['rerun']['p50'] if r['rerun']['p50'] is None else round(r['rerun']['p50'], 2)}"
            f" s), first visit p50 {first if first is None else round(first, 2)} s, errors "
            f"{r['errors']}, app CPU {r['cpu_s_per_rerun']:.3f} s per action, maps served "
            f"{maps['hit']} / computed {maps['miss']}, load generator "
            f"{r['loadgen_cpu_share']:.0%} of a core",
            flush=True,
        )
        if not ok:
            break
        best = users
    return {
        "replicas": replicas,
        "max_users": best,
        "bound_s": bound,
        "warm": warm,
        "runs": runs,
    }
