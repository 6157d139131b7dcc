"""The hypothesis loop: build one damaged file, run the adapter under a timeout, check it."""

from __future__ import annotations

import re
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskatlas.sources import adapter
from riskatlas.sources.base import AdapterResult, SourceError
from tests.fuzz.checks import check_result
from tests.fuzz.expect import Expect, expect_for
from tests.fuzz.geojson_writer import write_geojson
from tests.fuzz.mutate import APPLIED, mutate_bytes, mutate_table
from tests.fuzz.rmi import build_rmi
from tests.fuzz.seeds import seed
from tests.fuzz.targets import Target
from tests.fuzz.writers import write_csv, write_tsv, write_xlsx, write_xml

HANG_SECONDS = 30  # one tiny file must never take this long


class Hang(BaseException):
    """An adapter took longer than HANG_SECONDS on a tiny file."""


def _alarm(signum, frame):  # noqa: ARG001
    raise Hang(f"adapter ran longer than {HANG_SECONDS} s on one tiny file")


@dataclass
class Stats:
    """What the examples of one target produced."""

    examples: int = 0
    malformed: int = 0  # examples whose file was damaged at least once (the rest: real slices)
    outcomes: Counter = field(default_factory=Counter)
    rows_in: int = 0
    rows_rejected: int = 0
    reasons: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "examples": self.examples,
            "malformed": self.malformed,
            "outcomes": dict(self.outcomes),
            "rows_in": self.rows_in,
            "rows_rejected": self.rows_rejected,
            "top_reject_reasons": self.reasons.most_common(6),
            "top_source_errors": self.errors.most_common(6),
        }


def _reason_kind(reason: str) -> str:
    """A reject reason without its row-specific values, to count kinds of reasons."""
    return re.sub(r"\d+", "N", re.split(r"[:(]", reason, maxsplit=1)[0]).strip()[:60]


def build_file(data: st.DataObject, t: Target) -> tuple[dict[str, bytes], Expect]:
    """The mutated file(s) for the target, keyed by path in its folder, and the rows they hold."""
    if t.kind == "rmi":
        return build_rmi(data, t)
    if t.kind == "csv":
        blob = write_csv(data, mutate_table(data, seed(t.name), t, typed=False))
    elif t.kind == "tsv":
        blob = write_tsv(data, mutate_table(data, seed(t.name), t, typed=False))
    elif t.kind == "xlsx":
        blob = write_xlsx(data, mutate_table(data, seed(t.name), t, typed=True), t)
    elif t.kind == "xml":
        blob = write_xml(data, seed(t.name), t)
    else:
        blob = write_geojson(data, seed(t.name))
    blob, _ = mutate_bytes(data, blob)
    return {t.filename: blob}, expect_for(t, blob)


def run_example(t: Target, data: st.DataObject, workdir: Path, stats: Stats) -> None:
    """Write one mutated file, load it, and check the outcome."""
    APPLIED.clear()
    files, exp = build_file(data, t)
    stats.malformed += bool(APPLIED)
    stats.examples += 1
    out = load_and_check(t, files, exp, workdir)
    if isinstance(out, SourceError):
        stats.outcomes["source_error"] += 1
        folder = str(workdir / "raw" / t.folder)
        stats.errors[_reason_kind(str(out).split(": ", 1)[-1].replace(folder, "<folder>"))] += 1
        return
    stats.outcomes["rejects" if out.rejects else "clean"] += 1
    stats.rows_in += out.rows_in
    stats.rows_rejected += out.rows_rejected
    stats.reasons.update(_reason_kind(r["reason"]) for r in out.rejects)


def load_and_check(
    t: Target, files: dict[str, bytes], exp: Expect, workdir: Path
) -> AdapterResult | SourceError:
    """Write the files into workdir/raw, run the adapter, and check every invariant.

    Returns the result, or the SourceError it raised (which must name the source). Any other
    exception, or a run longer than HANG_SECONDS, propagates and fails the test.
    """
    raw = workdir / "raw"
    folder = raw / t.folder
    for name, blob in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(blob)
    mod = adapter(t.name)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        result = mod.load(raw, path=folder / t.filename) if t.call_with_path else mod.load(raw)
    except SourceError as e:
        msg = str(e)
        assert msg.startswith(f"{mod.SOURCE.source_id}:") or (t.filename and t.filename in msg), (
            f"SourceError does not name the source: {msg}"
        )
        return e
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    check_result(t, result, exp)
    return result


def fuzz(t: Target, workdir: Path, examples: int, derandomize: bool = False) -> Stats:
    """Run `examples` generated inputs against one adapter; raises on the first broken invariant.

    derandomize=True replays the same examples every run (the CI default); False explores anew.
    """
    stats = Stats()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=derandomize,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(st.data())
    def one(data: st.DataObject) -> None:
        run_example(t, data, workdir, stats)

    one()
    return stats
