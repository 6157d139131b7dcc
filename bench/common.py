"""Small helpers shared by the benchmarks: timing, percentiles, free ports, machine facts."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"


@dataclass
class Timing:
    """Repeated wall-clock timings of one operation, in seconds."""

    samples: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: with 20 samples p95 is the 19th value, never interpolated."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def repeat(fn: Callable[[], object], reps: int, warmup: int = 2) -> Timing:
    """Run ``fn`` ``warmup`` times untimed, then ``reps`` times timed with perf_counter."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return Timing(samples)


def machine() -> dict[str, str]:
    """Cores, RAM and CPU model of this machine, for the results header."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "ram": ram,
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def fmt_ms(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:
        return "n/a"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def fmt_bytes(n: int | float | None) -> str:
    if n is None or n != n:
        return "n/a"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:,.2f} {unit}"
    return f"{int(n)} B"


def bounded_repeat(
    fn: Callable[[], object], reps: int, budget_s: float, minimum: int = 3
) -> Timing:
    """Like ``repeat`` (one untimed warm-up) but stops after ``budget_s`` seconds once ``minimum``
    samples exist: slow paths get fewer repetitions instead of an unbounded run."""
    fn()
    samples: list[float] = []
    start = time.perf_counter()
    while len(samples) < reps:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= minimum and time.perf_counter() - start > budget_s:
            break
    return Timing(samples)


def load_average() -> str:
    """1-minute load average: other processes on the machine slow every figure down."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "n/a"
