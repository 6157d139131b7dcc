"""The one shape every source adapter shares: source metadata in, tidy tables plus rejects out.

An adapter module defines ``SOURCE`` (a :class:`SourceInfo`) and ``load(raw_dir) -> AdapterResult``.
It reads the publisher's own format from ``raw_dir / SOURCE.folder``, validates every row and
returns tidy tables. A row that cannot be used is never dropped silently: it becomes a reject
with its reason and the raw text, so that ``rows_in == rows_loaded + rows_rejected`` holds.

Tables an adapter may return (the build merges them across sources):

``records``  candidate sites, one per source record, before geocoding and entity resolution:
    source_ref (str, unique in the source), name, tier, lat, lon, geo_precision
    ('exact' when the source gives coordinates, else None), country_iso3, country_raw,
    province, city, address, minerals (list[str], normalised), rmi_id (str | None)
``site_facts``  record_ref (a records.source_ref), fact, value (str), observed_on (date | None),
    source_ref (the record of the fact itself, e.g. a visit id)
``links``  brand, record_ref (a records.source_ref of this adapter), relation
    ('lists_smelter' | 'lists_supplier'), mineral, year, source_ref, status_as_reported
``country_indicators``  country_iso3, indicator, year, value, source_ref, flag (optional)
``goods_risk``  good, mineral, country_iso3, child_labor, forced_labor, source_ref, ...

Any other table name is written to the database as it is (it must belong to one source only).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas import schema
from riskatlas.checksum import sha256_file as sha256_file  # the adapters' one hash

TIERS = ("mine", "artisanal_mine", "smelter_refiner", "factory", "ewaste")
GEO_PRECISIONS = ("exact", "city", "province", "country")

# the columns every adapter's records start with (queries/schema_stage.sql)
RECORD_COLUMNS = schema.columns("records")


# Page sections that cite their sources by declaration (SourceInfo.ui_sections), so a page names
# no source id of its own.
UI_SECTIONS = {
    "ewaste.generated": "Countries page, e-waste: generated and how municipal waste is treated",
    "ewaste.weee": "Countries page, e-waste: EU WEEE flows by year",
    "ewaste.rates": "Countries page, e-waste: the two recycling rates",
}
# How a source's records become site ids when a record is a site of its own (no RMI id):
# own = the record's reference is the site id; prefixed = site_prefix + reference (unless it
# already starts with it); qualified = "<source_id>:<reference>".
SITE_ID_RULES = ("own", "prefixed", "qualified")
MATCH_ROLES = ("target", "query")
LOWEST_PRIORITY = 9


class SourceError(Exception):
    """A source cannot be read at all (missing file, wrong format): the build names it and stops."""


@dataclass(frozen=True)
class SourceInfo:
    """What the ``sources`` table and the Sources page say about one public dataset."""

    source_id: str
    title: str
    publisher: str
    url: str  # the official download address (what ``fetch`` would download)
    licence: str
    data_date: str
    folder: str  # sub-folder of the raw directory
    files: tuple[str, ...]  # files inside the folder the adapter reads
    fetch_urls: dict[str, str] = field(default_factory=dict)  # file name -> download address
    notes: str = ""
    # --- what the rest of the atlas needs, declared here so that a source is one file ---
    order: int = 0  # build order, lower first: references, then sites, links, indicators
    priority: int = LOWEST_PRIORITY  # which record speaks for a merged site (lower preferred)
    site_ids: str = "own"  # one of SITE_ID_RULES
    site_prefix: str = ""  # for site_ids = "prefixed", e.g. "minmod:"
    match_role: str | None = None  # name matching: "target" (located) or "query" (to place)
    ui_sections: tuple[str, ...] = ()  # page sections that cite this source (UI_SECTIONS)

    def site_id(self, source_ref: str) -> str:
        """The site id a record of this source carries as a site of its own."""
        if self.site_ids == "prefixed":
            prefix = self.site_prefix
            return source_ref if source_ref.startswith(prefix) else prefix + source_ref
        if self.site_ids == "qualified":
            return f"{self.source_id}:{source_ref}"
        return source_ref

    def problems(self) -> list[str]:
        """What is missing or inconsistent in this declaration (empty when it is complete)."""
        out = []
        for name in ("source_id", "title", "publisher", "licence", "data_date"):
            if not str(getattr(self, name) or "").strip():
                out.append(f"{name} is empty")
        if self.order <= 0:
            out.append("order is not set (a positive build position)")
        if self.site_ids not in SITE_ID_RULES:
            out.append(f"site_ids {self.site_ids!r} is not one of {SITE_ID_RULES}")
        if (self.site_ids == "prefixed") != bool(self.site_prefix):
            out.append("site_prefix goes with site_ids = 'prefixed', and only with it")
        if self.site_prefix and not self.site_prefix.endswith(":"):
            out.append(f"site_prefix {self.site_prefix!r} does not end with ':'")
        if self.match_role not in (None, *MATCH_ROLES):
            out.append(f"match_role {self.match_role!r} is not one of {MATCH_ROLES}")
        if not 0 <= self.priority <= LOWEST_PRIORITY:
            out.append(f"priority {self.priority} is not in 0..{LOWEST_PRIORITY}")
        unknown = [s for s in self.ui_sections if s not in UI_SECTIONS]
        if unknown:
            out.append(f"unknown ui_sections {unknown}")
        return out

    def path(self, raw_dir: Path, name: str | None = None) -> Path:
        """Path of one of this source's files; raises SourceError naming it if it is missing."""
        name = name or self.files[0]
        p = Path(raw_dir) / self.folder / name
        if not p.is_file():
            raise SourceError(f"{self.source_id}: missing source file {p}")
        return p


@dataclass
class AdapterResult:
    """Tidy tables, rejects and counts from one source."""

    source: SourceInfo
    rows_in: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejects)

    @property
    def rows_loaded(self) -> int:
        return self.rows_in - self.rows_rejected

    def reject(self, source_ref: str, reason: str, raw: Any) -> None:
        """Keep a row that could not be used, with why."""
        self.rejects.append(
            {"source_ref": str(source_ref), "reason": reason, "raw": _raw_text(raw)}
        )


def _raw_text(raw: Any) -> str:
    if isinstance(raw, pd.Series):
        raw = raw.to_dict()
    if isinstance(raw, dict):
        return "; ".join(f"{k}={'' if _isna(v) else v}" for k, v in raw.items())[:4000]
    return str(raw)[:4000]


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def check_unique_columns(header: list[str], names, source_id: str, path: Path) -> None:
    """Raise SourceError if a column the adapter reads by name is printed more than once.

    Why: with two 'code' columns a row lookup silently takes one of them (or pandas returns a
    frame where a column was expected); a header like that is a damaged or different file.
    """
    twice = sorted({c for c in names if list(header).count(c) > 1})
    if twice:
        raise SourceError(f"{source_id}: {path} has the columns {twice} more than once")


def read_csv(
    path: Path, source_id: str, required: Collection[str] = (), what: str = "expected"
) -> tuple[list[str], list[list[str]]]:
    """Header (names stripped) and data rows of a publisher's CSV, as printed: the one CSV reader
    of the adapters.

    Rows without any value (blank lines, a row of bare separators) are formatting and skipped.
    A file that is not the expected one is a SourceError that names it and says why, never a
    KeyError further down: NUL bytes (binary, UTF-16 or corrupted), text that is not UTF-8,
    broken quoting, no header row, a column of ``required`` missing (``what`` says what kind of
    file was expected) or printed twice. Why one reader: three in this module and two private
    ones had drifted apart on blank rows, quoting and NUL bytes.
    """
    path = Path(path)
    blob = path.read_bytes()
    if b"\x00" in blob:
        raise SourceError(
            f"{source_id}: {path.name} contains NUL bytes: binary, UTF-16 or corrupted, "
            "not a UTF-8 CSV"
        )
    try:
        reader = csv.reader(io.StringIO(blob.decode("utf-8-sig"), newline=""), strict=True)
        rows = [r for r in reader if any(c.strip() for c in r)]
    except (UnicodeDecodeError, csv.Error) as e:
        raise SourceError(f"{source_id}: cannot parse {path}: {e}") from e
    if not rows:
        raise SourceError(f"{source_id}: {path} is empty (no header row)")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(f"{source_id}: {path} lacks the {what} columns {missing}")
    check_unique_columns(header, list(required), source_id, path)
    return header, rows[1:]


def read_csv_text(path: Path, source_id: str) -> pd.DataFrame:
    """:func:`read_csv` as a frame of text cells (a short row's missing cells are None); a row
    with more fields than the header is a SourceError (it would shift every value)."""
    header, rows = read_csv(path, source_id)
    if any(len(r) > len(header) for r in rows):
        raise SourceError(
            f"{source_id}: {Path(path).name} has rows with more fields than its header"
        )
    padded = [r + [None] * (len(header) - len(r)) for r in rows]
    return pd.DataFrame(padded, columns=header, dtype=object)


def records_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A records table with every contract column present, in contract order."""
    df = pd.DataFrame(rows)
    for col in RECORD_COLUMNS:
        if col not in df.columns:
            df[col] = None
    extra = [c for c in df.columns if c not in RECORD_COLUMNS]
    return df[RECORD_COLUMNS + extra]


def valid_coordinate(lat: Any, lon: Any) -> str | None:
    """None if (lat, lon) is a usable WGS84 point, else the reason it is not."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return "coordinate is not a number"
    if la != la or lo != lo:
        return "coordinate missing"
    if la in (float("inf"), float("-inf")) or lo in (float("inf"), float("-inf")):
        return "coordinate is infinite"
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        return f"coordinate out of range (lat={la}, lon={lo})"
    if la == 0 and lo == 0:
        return "coordinate is (0, 0), a placeholder"
    return None


_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-"})


def number(
    v: Any,
    what: str = "value",
    *,
    missing: Collection[str] = ("",),
    grouped: bool = True,
    strict: bool = True,
) -> float | None:
    """A number as publishers print it: '38,928,000', ' 2.00E+04 ', '\u221223.89' (a Unicode
    minus) or a workbook cell's int or float. Blank, or a text in ``missing`` (any case), is None.

    ``grouped``: commas are thousands separators and dropped (False where a comma could be a
    decimal point, e.g. coordinates). ``strict``: a text that is not a number, or is infinite or
    NaN, raises ValueError naming ``what``; otherwise it is None. Why one reader: four copies
    had drifted apart on blanks, dashes and separators.
    """
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        x = float(v)
    else:
        s = str(v).strip()
        if not s or s.lower() in {m.lower() for m in missing}:
            return None
        s = re.sub(r"[,\s]" if grouped else r"\s", "", s.translate(_MINUS))
        try:
            x = float(s)
        except ValueError:
            if not strict:
                return None
            raise ValueError(f"{what} is {v!r}, not a number") from None
    if strict and not math.isfinite(x):
        raise ValueError(f"{what} is {v!r}, not a finite number")
    return x


def clean_text(v: Any) -> str | None:
    """Strip whitespace and embedded newlines (PDF artefacts); empty becomes None."""
    if v is None or _isna(v):
        return None
    s = " ".join(str(v).split())
    return s or None


def rows_frame(header: list[str], rows: list[list[str]], result: AdapterResult) -> pd.DataFrame:
    """Rows with as many fields as the header; a short or long row (truncated file) is rejected."""
    good = []
    for r in rows:
        if len(r) != len(header):
            result.reject(
                r[0] if r else "?", f"{len(r)} fields, expected {len(header)}", ",".join(r)
            )
        else:
            good.append(r)
    return pd.DataFrame(good, columns=header, dtype=str)


@contextmanager
def xlsx_sheet(path: Path, sheet: str, source_id: str) -> Iterator[Iterator[tuple]]:
    """The rows of one sheet of an xlsx workbook, as value tuples, the workbook closed after;
    a file that is not a workbook, or lacks the sheet, is a SourceError that names both."""
    import openpyxl  # only the workbook sources need it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise SourceError(f"{source_id}: cannot open {path} as an xlsx workbook: {e}") from e
    try:
        if sheet not in wb.sheetnames:
            raise SourceError(
                f"{source_id}: {path} has no sheet {sheet!r} (sheets: {wb.sheetnames})"
            )
        yield wb[sheet].iter_rows(values_only=True)
    finally:
        wb.close()


def blank_row(values: tuple) -> bool:
    """A spreadsheet row with no value: formatting, not data."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_workbook(read, path: Path, source_id: str):
    """``read(path)`` for an xlsx workbook; any zip, zlib, XML or openpyxl error of a damaged
    file becomes a SourceError naming it (a SourceError from ``read`` passes through)."""
    try:
        return read(path)
    except SourceError:
        raise
    except Exception as e:  # noqa: BLE001 - every failure of a damaged workbook, named
        raise SourceError(
            f"{source_id}: cannot read {path} as an xlsx workbook: {type(e).__name__}: {e}"
        ) from e
