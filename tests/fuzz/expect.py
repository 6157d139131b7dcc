"""Independent row counts: the rows_in range an adapter must report for a file."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from typing import Any

import openpyxl
from lxml import etree

from tests.fuzz.targets import Target


@dataclass
class Expect:
    """rows_in must lie in [lo, hi] (whitespace-only rows may or may not count), or parse fails."""

    lo: int = 0
    hi: int = 0
    readable: bool = True  # False: the adapter cannot have read it, so it must raise SourceError
    why: str = ""


def blank(cells: list[Any]) -> bool:
    """No content: empty, whitespace or stray byte-order marks (pandas drops a second BOM)."""
    return all(c is None or (isinstance(c, str) and not c.strip().strip("\ufeff")) for c in cells)


def _count_rows(rows: list[list[Any]], header_row: int = 0, skip_before: bool = True) -> Expect:
    """Data rows after the header: rows with content count; whitespace-only rows may count."""
    if skip_before:  # blank lines before the header are skipped by every reader
        rows = [r for r in rows if r] if header_row == 0 else rows
        while rows and header_row == 0 and blank(rows[0]):
            rows = rows[1:]
    body = rows[header_row + 1 :]
    lo = sum(1 for r in body if not blank(r))
    ws = sum(1 for r in body if r and blank(r))
    return Expect(lo, lo + ws)


def csv_reference_rows(blob: bytes) -> list[list[str]] | None:
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
    rows = csv_reference_rows(blob)
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


def expect_for(t: Target, blob: bytes) -> Expect:
    """The row count of a single-file target's file, counted without the adapter."""
    if t.kind in ("xlsx", "xml"):
        return (expect_xlsx if t.kind == "xlsx" else expect_xml)(blob, t)
    return {"csv": expect_csv, "tsv": expect_tsv, "geojson": expect_geojson}[t.kind](blob)
