"""Fuzz every source adapter with malformed inputs: rejects with reasons or a clear SourceError."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from riskatlas.sources.base import SourceError
from tests.fuzz.expect import Expect, expect_for
from tests.fuzz.geojson_writer import first_ring
from tests.fuzz.mutate import damage_zip_member
from tests.fuzz.rmi import rmi_pristine
from tests.fuzz.runner import fuzz, load_and_check
from tests.fuzz.seeds import SEED_ROWS, seed
from tests.fuzz.targets import TARGETS
from tests.fuzz.writers import csv_bytes, workbook_bytes

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


# Regressions: one damaged file per bug the fuzzer found, so each stays fixed in every run.


def _load(tmp_path, name: str, blob: bytes):
    """The adapter's result or SourceError for one hand-damaged file, all invariants checked."""
    t = TARGETS[name]
    return load_and_check(t, {t.filename: blob}, expect_for(t, blob), tmp_path)


def _seed_csv(name: str, edit=None, encoding: str = "utf-8") -> bytes:
    rows = [list(r) for r in seed(name)]
    if edit:
        edit(rows)
    return csv_bytes(rows, encoding)


def test_apple_with_every_row_rejected_gives_empty_tables(tmp_path):
    """Was a KeyError: the links frame of zero links had no source_ref column to sort on."""

    def no_years(rows):
        for r in rows[1:]:
            r[0] = "²⁰¹⁸"  # isdigit() but not a number int() reads: was a ValueError too

    out = _load(tmp_path, "apple", _seed_csv("apple", no_years))
    assert out.rows_in == SEED_ROWS == out.rows_rejected
    assert out.tables["links"].empty and "source_ref" in out.tables["links"].columns


@pytest.mark.parametrize("name", ["walkfree", "curated_ewaste", "apple"])
def test_latin1_csv_is_a_source_error(tmp_path, name):
    """Was a UnicodeDecodeError (walkfree, curated_ewaste): the file is named instead."""

    def accent(rows):
        rows[1][1] = rows[1][1] + " Côte d'Ivoire"

    out = _load(tmp_path, name, _seed_csv(name, accent, encoding="latin-1"))
    assert isinstance(out, SourceError) and "utf-8" in str(out).lower()


def test_apple_rows_longer_than_the_header_are_a_source_error(tmp_path):
    """pandas made the first column the index and shifted every value one column left."""

    def extra_field(rows):
        for r in rows[1:]:
            r.append("x")

    out = _load(tmp_path, "apple", _seed_csv("apple", extra_field))
    assert isinstance(out, SourceError) and "more fields than its header" in str(out)


def test_apple_nul_byte_is_a_source_error(tmp_path):
    """pandas silently cut the cell at the NUL byte."""
    blob = _seed_csv("apple").replace(b"Apple", b"Ap\x00ple", 1).replace(b",3M,", b",3\x00M,", 1)
    out = _load(tmp_path, "apple", blob)
    assert isinstance(out, SourceError) and "NUL" in str(out)


def test_eurostat_line_separator_in_a_cell_does_not_split_the_row(tmp_path):
    """str.splitlines() split at U+2028, making 21 rows of 20; a huge number was a float inf.

    (U+2028 is whitespace to the cell pattern, so "0.5<U+2028>d" is the value 0.5, flag d.)
    """

    def damage(rows):
        rows[1][3] = "0.5\u2028d"
        rows[2][2] = "9" * 400

    t = TARGETS["eurostat_weee"]
    text = "\n".join("\t".join(r) for r in [list(r) for r in seed(t.name)])
    rows = [line.split("\t") for line in text.split("\n")]
    damage(rows)
    out = _load(tmp_path, t.name, "\n".join("\t".join(r) for r in rows).encode())
    assert out.rows_in == SEED_ROWS
    assert [r["reason"][:30] for r in out.rejects] == ["cell for 2017 is too large to "]
    assert out.tables["weee"]["value"].eq(0.5).any()


def test_eurostat_year_header_out_of_range_is_a_source_error(tmp_path):
    rows = [list(r) for r in seed("eurostat_weee")]
    rows[0][2] = "0"
    out = _load(tmp_path, "eurostat_weee", "\n".join("\t".join(r) for r in rows).encode())
    assert isinstance(out, SourceError) and "outside 1990-2100" in str(out)


def test_wgi_duplicate_column_is_a_source_error(tmp_path):
    """Was AttributeError: df['code'] was a frame when the header printed 'code' twice."""

    def dup(rows):
        for r in rows:
            r.insert(0, r[1])

    out = _load(tmp_path, "wgi", _seed_csv("wgi", dup))
    assert isinstance(out, SourceError) and "more than once" in str(out)


def _geojson(edit) -> bytes:
    doc = json.loads(seed("natural_earth"))
    edit(doc["features"])
    return json.dumps(doc, allow_nan=True).encode()


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda fs: fs.__setitem__(0, "feature"), "feature is not a JSON object"),
        (lambda fs: fs[0].__setitem__("properties", "props"), "no ISO3 code"),
        (lambda fs: first_ring(fs[0]["geometry"]).__setitem__(1, [0.0, 40784.0]), "outside"),
        (
            lambda fs: fs[0].__setitem__(
                "geometry", {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]}
            ),
            "no area",
        ),
        (
            lambda fs: fs[0].__setitem__("geometry", {"type": "Circle", "coordinates": [0, 0]}),
            "geometry cannot be read",
        ),
        (
            lambda fs: first_ring(fs[0]["geometry"]).__setitem__(1, [float("nan"), 1.0]),
            "not a finite number",
        ),
    ],
)
def test_natural_earth_bad_feature_is_a_reject(tmp_path, edit, reason):
    """Were AttributeError, GeometryTypeError, or label points off the globe or at (0, 0)."""
    out = _load(tmp_path, "natural_earth", _geojson(edit))
    assert out.rows_rejected == 1 and reason in out.rejects[0]["reason"]


def test_natural_earth_no_features_gives_an_empty_table(tmp_path):
    """Was a KeyError sorting a frame without columns."""
    out = _load(tmp_path, "natural_earth", _geojson(lambda fs: fs.clear()))
    assert out.rows_in == 0 and list(out.tables["country_shapes"].columns)[0] == "country_iso3"


def test_natural_earth_features_not_a_list_is_a_source_error(tmp_path):
    blob = json.dumps({"type": "FeatureCollection", "features": {"a": []}}).encode()
    out = _load(tmp_path, "natural_earth", blob)
    assert isinstance(out, SourceError) and "not a list" in str(out)


@pytest.mark.parametrize("name", ["icmm", "freedom_house"])
def test_workbook_with_a_damaged_sheet_is_a_source_error(tmp_path, name):
    """Was a zlib.error from openpyxl (the adapters caught BadZipFile and OSError only)."""
    t = TARGETS[name]
    blob = damage_zip_member(workbook_bytes(seed(name), t.sheet), "xl/worksheets/sheet1.xml")
    out = _load(tmp_path, name, blob)
    assert isinstance(out, SourceError) and "as an xlsx workbook" in str(out)


@pytest.mark.parametrize("name", ["ilab_goods", "ilab_countries"])
def test_xml_with_undecodable_bytes_is_a_source_error(tmp_path, name):
    """Was an OSError from lxml ('Invalid bytes in character encoding')."""
    blob = etree.tostring(etree.fromstring(seed(name)), encoding="utf-16") + b"\x00"
    out = _load(tmp_path, name, blob)
    assert isinstance(out, SourceError) and "not well-formed XML" in str(out)


def test_huge_country_and_mineral_cells_load(tmp_path):
    """country_converter is quadratic in the name length and minerals.normalise recursed once
    per bracket: a 6,000-character country took ~6 s, 3,000 nested brackets a RecursionError."""

    def huge(rows):
        header = rows[0]
        rows[1][header.index("country")] = "Congo " * 1000
        rows[2][header.index("commodity")] = "(" * 3000 + "Tin" + ")" * 3000

    out = _load(tmp_path, "usgs_africa", _seed_csv("usgs_africa", huge))
    assert out.rows_in == SEED_ROWS


def test_rmi_damaged_workbook_is_a_source_error(tmp_path):
    """Found by FUZZ_EXAMPLES=1000 (a flipped byte in RMI_AMRT_1.3.xlsx). Remove the xfail mark
    once rmi.py turns every error of a damaged workbook into a SourceError naming it."""
    files = dict(rmi_pristine())
    name = "originals/RMI_AMRT_1.3.xlsx"
    files[name] = damage_zip_member(files[name], "xl/worksheets/sheet1.xml")
    out = load_and_check(TARGETS["rmi"], files, Expect(0, 0, readable=False), tmp_path)
    assert isinstance(out, SourceError) and "RMI_AMRT_1.3.xlsx" in str(out)
