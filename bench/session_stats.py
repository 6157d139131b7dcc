"""What simulated sessions pick and what they saw: the filter choices a session changes one at a
time, and the timings and errors gathered under one lock (bench.apptest_load, bench.browser_load).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from bench.common import percentile

# What a session picks from, per filter (one value each change; [] / 0 = no filter).
CHOICES: dict[str, list] = {
    "brand": [[], ["samsung-electronics"], ["apple"], ["samsung-electronics", "apple"]],
    "mineral": [[], ["cobalt"], ["gold"], ["tin"], ["tantalum", "tungsten"]],
    "tier": [[], ["artisanal_mine"], ["smelter_refiner"], ["mine", "artisanal_mine"]],
    "min_risk": [0.0, 30.0, 60.0],
}


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
