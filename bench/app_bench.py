"""The Map page through Streamlit's AppTest: bytes sent to the browser, server time, filter reruns.

Run in a child process per database (``python -m bench.app_bench DB``) so caches, memory and a
runaway page at 10 M sites stay contained; the parent reads the JSON it prints last.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

from bench.common import REPO

APP = REPO / "app.py"


def payload(at) -> dict[str, int]:
    """Bytes of what the page sends: the deck JSON, the dataframes (Arrow), and every element."""
    out = {"deck": 0, "dataframes": 0, "total": 0, "elements": 0}

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                walk(child)
            return
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize"):
            return
        kind = getattr(node, "type", "")
        size = proto.ByteSize()
        out["total"] += size
        out["elements"] += 1
        if kind == "deck_gl_json_chart":
            raw = proto.json.encode("utf-8")
            compact = json.dumps(json.loads(raw), separators=(",", ":")).encode("utf-8")
            out["deck"] += len(raw)
            out["deck_compact"] = out.get("deck_compact", 0) + len(compact)
            out["deck_compact_deflate"] = out.get("deck_compact_deflate", 0) + len(
                zlib.compress(compact, 6)
            )
        elif kind in ("dataframe", "arrow_data_frame", "table"):
            out["dataframes"] += size

    walk(at._tree)
    out["payload"] = out["deck"] + out["dataframes"]
    return out


def _run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.message for e in at.exception]}")
    return seconds


def measure(db: Path, changes: list[tuple[str, list]], timeout: float = 600.0, report=None) -> dict:
    """First load with cold caches, a second visitor's load (warm caches), then each filter
    change as a rerun of the second session (a new parameter set: its query is not cached).

    The app's modules are imported first, so 'cold' is cold data caches, not Python imports.
    ``report`` gets the partial result after every step (the child prints it, so a timeout
    still leaves the steps that finished).
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import riskatlas.ui.map_results  # noqa: F401 - imports out of the timed run
    import riskatlas.ui.map_view  # noqa: F401

    report = report or (lambda r: None)
    os.environ["RISKATLAS_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    result: dict = {"reruns": []}
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    result["cold"] = _run(at)
    result["first"] = payload(at)
    report(result)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    result["warm"] = _run(at)
    report(result)
    for key, value in changes:
        at.multiselect(key=key).set_value(value)
        seconds = _run(at)
        result["reruns"].append({"key": key, "value": value, "seconds": seconds, **payload(at)})
        report(result)
    return result


def measure_in_child(db: Path, changes: list[tuple[str, list]], timeout: float) -> dict:
    """``measure`` in a child process, killed after ``timeout`` seconds (then 'timeout' is set)."""
    cmd = [sys.executable, "-m", "bench.app_bench", str(db), json.dumps(changes), str(timeout)]
    try:
        proc = subprocess.run(
            cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
        )
        stdout, error = proc.stdout, None
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-2:]
            error = f"exit {proc.returncode}: {' | '.join(tail)}"
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        stdout = out.decode() if isinstance(out, bytes) else out
        error = f"timeout after {timeout:.0f}s"
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    result = json.loads(lines[-1]) if lines else {"reruns": []}
    if error:
        result["error"] = error
    return result


if __name__ == "__main__":
    measure(
        Path(sys.argv[1]),
        json.loads(sys.argv[2]),
        float(sys.argv[3]),
        report=lambda r: print(json.dumps(r), flush=True),
    )
