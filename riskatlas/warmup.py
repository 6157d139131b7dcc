"""Warm a fresh app process: ask it for the views a story links to before readers arrive.

Why: every session shares the Map's finished views (riskatlas.settings.VIEW_CACHE), but the
first reader of a view pays for computing it, 0.2 to 1 s of CPU. When a story runs, hundreds of
readers follow the same few links within seconds; a process that has just started, or that the
replica supervisor restarted after a crash, would compute those views while they wait and while
the other readers queue behind it. So the server asks itself for them first, over the same
websocket protocol a browser speaks (riskatlas.app_client), and the views are in the shared
caches when the first reader comes.

Which views: the file RISKATLAS_WARM_VIEWS names, one Map link per line (a whole URL, or its
query string such as ``brand=apple&mineral=gold``; a lone ``?`` or ``/`` is the Map with no
filter; ``#`` starts a comment; blank lines are skipped). Without the setting: the Map with no filter, the home page
every reader of the atlas's own address opens. An empty file warms nothing.

`python -m riskatlas.warmup --url http://127.0.0.1:8501 [--views FILE] [--wait SECONDS]`
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from riskatlas import settings

DEFAULT_VIEWS = ("",)  # the Map with no filter


class WarmupError(ValueError):
    """The list of views cannot be read."""


@dataclass
class Warmed:
    """What a warm-up did: each view asked for with its seconds, and each that failed, why."""

    done: list[tuple[str, float]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        took = sum(s for _, s in self.done)
        text = f"warmed {len(self.done)} view(s) in {took:.1f} s"
        if self.failed:
            q, why = self.failed[0]
            text += f"; {len(self.failed)} failed (first: {q or '(no filter)'}: {why})"
        return text


def query_of(line: str) -> str:
    """The query string of one line of the list: a whole URL, ``/?a=b``, ``?a=b`` or ``a=b``."""
    text = line.strip()
    if "://" in text:
        return urlsplit(text).query
    return text.lstrip("/").removeprefix("?")


def read_views(path: Path) -> list[str]:
    """The views a list file names, in order, each once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise WarmupError(f"cannot read the views to warm from {path}: {exc}") from exc
    out: list[str] = []
    for raw in lines:
        text = raw.split("#", 1)[0].strip()  # a comment, or a URL's fragment
        if not text:
            continue
        q = query_of(text)
        if q not in out:
            out.append(q)
    return out


def views() -> list[str]:
    """The views to warm: RISKATLAS_WARM_VIEWS's list, or the Map with no filter."""
    path = settings.WARM_VIEWS.path()
    return list(DEFAULT_VIEWS) if path is None else read_views(path)


async def _visit(base: str, queries: list[str], timeout: float) -> Warmed:
    from riskatlas.app_client import Reader, RerunError

    out = Warmed()
    reader = Reader(base, timeout=timeout)
    try:
        for q in queries:
            try:
                out.done.append((q, await reader.rerun(q)))
            except (RerunError, OSError) as exc:
                out.failed.append((q, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
                await reader.close()
                reader = Reader(base, timeout=timeout)
    finally:
        await reader.close()
    return out


def warm(base: str, queries: list[str] | None = None, timeout: float = 120.0) -> Warmed:
    """Ask the app at ``base`` for each view once, one after another (a view that fails is
    reported and the next one asked for: a warm-up never stops a server)."""
    queries = views() if queries is None else queries
    if not queries:
        return Warmed()
    return asyncio.run(_visit(base.rstrip("/"), queries, timeout))


def healthy(base: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as resp:  # noqa: S310
            return resp.status == 200
    except OSError:
        return False


def warm_when_healthy(
    base: str, queries: list[str] | None = None, wait: float = 120.0, log=None
) -> Warmed | None:
    """Wait up to ``wait`` seconds for the app to answer its health check, then warm it;
    None if it never did. ``log`` (a text stream) gets one line."""
    deadline = time.monotonic() + wait
    while not healthy(base):
        if time.monotonic() > deadline:
            return None
        time.sleep(0.5)
    result = warm(base, queries)
    if log is not None:
        print(f"{base}: {result.line()}", file=log, flush=True)
    return result


def in_background(base: str, queries: list[str] | None = None, log=None) -> threading.Thread:
    """warm_when_healthy in a daemon thread (the replica supervisor's restarts)."""
    t = threading.Thread(
        target=warm_when_healthy,
        args=(base, queries),
        kwargs={"log": log},
        name=f"warmup {base}",
        daemon=True,
    )
    t.start()
    return t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m riskatlas.warmup", description=__doc__.split("\n")[0]
    )
    p.add_argument("--url", required=True, help="the app process, e.g. http://127.0.0.1:8501")
    p.add_argument("--views", help="the list of views (default: RISKATLAS_WARM_VIEWS)")
    p.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the app")
    args = p.parse_args(argv)
    try:
        queries = read_views(Path(args.views)) if args.views else views()
    except WarmupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = warm_when_healthy(args.url, queries, args.wait)
    if result is None:
        print(f"error: no app answered at {args.url} within {args.wait:g} s", file=sys.stderr)
        return 1
    print(result.line())
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
