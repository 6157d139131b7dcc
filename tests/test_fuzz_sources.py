"""Fuzz every source adapter with malformed inputs: rejects with reasons or a clear SourceError."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.fuzz_support import TARGETS, fuzz

# At least 200 damaged files per adapter in the normal run (the same ones every run);
# FUZZ_EXAMPLES=1000 explores at least 1,000 new ones per adapter. About 5 % of generated files
# come out undamaged (a real slice), so 20 % more are generated than the damaged count asked for.
# FUZZ_REPORT=<file.json> writes each adapter's outcomes, top reasons and seconds.
MALFORMED = int(os.environ.get("FUZZ_EXAMPLES", "200"))
DERANDOMIZE = "FUZZ_EXAMPLES" not in os.environ
REPORT: dict[str, dict] = {}

pytestmark = [
    pytest.mark.slow,
    # Damaged headers repeat column names; pandas warns while the adapter rejects or raises.
    pytest.mark.filterwarnings("ignore:DataFrame columns are not unique:UserWarning"),
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
]


@pytest.fixture(scope="module", autouse=True)
def _write_report():
    yield
    out = os.environ.get("FUZZ_REPORT")
    if out and REPORT:
        Path(out).write_text(json.dumps(REPORT, indent=2, default=str))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_adapter_survives_malformed_input(name, tmp_path):
    """Every generated file gives rejects with reasons or a SourceError naming the source."""
    t0 = time.perf_counter()
    stats = fuzz(TARGETS[name], tmp_path, MALFORMED * 6 // 5, derandomize=DERANDOMIZE)
    REPORT[name] = {**stats.as_dict(), "seconds": round(time.perf_counter() - t0, 1)}
    assert stats.malformed >= MALFORMED, f"only {stats.malformed} damaged files for {name}"
    # The damage must reach both outcomes: files the adapter refuses and files it reads.
    assert stats.outcomes["source_error"] > 0
    assert stats.outcomes["rejects"] > 0
    assert stats.rows_rejected > 0


def test_run_adapters_names_the_source_of_any_exception(monkeypatch, tmp_path):
    """An adapter crashing with any exception stops the build with a SourceError naming it."""
    from riskatlas import build
    from riskatlas.sources.base import SourceError

    def crash(raw):
        raise KeyError("Latitude")

    monkeypatch.setattr(build, "adapter", lambda name: SimpleNamespace(load=crash))
    with pytest.raises(SourceError, match=r"^icmm: could not be read: KeyError: 'Latitude'") as exc:
        build.run_adapters(tmp_path, names=("icmm",), progress=lambda m: None)
    assert isinstance(exc.value.__cause__, KeyError)


def test_run_adapters_passes_a_source_error_through(monkeypatch, tmp_path):
    """A SourceError the adapter raised itself keeps its own message (it already names the file)."""
    from riskatlas import build
    from riskatlas.sources.base import SourceError

    def missing(raw):
        raise SourceError("wgi: missing source file /x/wgidataset.csv")

    monkeypatch.setattr(build, "adapter", lambda name: SimpleNamespace(load=missing))
    with pytest.raises(SourceError, match=r"^wgi: missing source file /x/wgidataset.csv$"):
        build.run_adapters(tmp_path, names=("wgi",), progress=lambda m: None)


def test_run_adapters_real_missing_file_names_it(tmp_path):
    """With the real adapter and an empty raw directory, the error names the missing file."""
    from riskatlas import build
    from riskatlas.sources.base import SourceError

    with pytest.raises(SourceError, match=r"world_bank_wgi: missing source file .*wgidataset.csv"):
        build.run_adapters(tmp_path, names=("wgi",), progress=lambda m: None)
