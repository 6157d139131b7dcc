"""The RMI target: four template workbooks and one CSV, seeded, damaged one at a time, counted."""

from __future__ import annotations

import csv
import functools
from dataclasses import replace
from typing import Any

import openpyxl
from hypothesis import strategies as st

from riskatlas.paths import SHARED_DATA
from tests.fuzz.expect import Expect, blank, csv_reference_rows, expect_xlsx
from tests.fuzz.mutate import mutate_bytes, mutate_table
from tests.fuzz.seeds import SEED_ROWS, spread
from tests.fuzz.targets import RMI_SHEET_COLUMNS, Target
from tests.fuzz.writers import csv_bytes, workbook_bytes, write_csv, write_xlsx


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
        body = [r for r in rows[4:] if not blank(r)]
        out[tpl.file] = [*rows[:4], *spread(body, SEED_ROWS)]
    with open(folder / rmi.ALL_VERSIONS, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    originals = {(tpl.template, tpl.version) for tpl in rmi.ORIGINALS}
    older = [r for r in rows[1:] if (r[0], r[1]) not in originals]
    out[rmi.ALL_VERSIONS] = [rows[0], *spread(older, SEED_ROWS)]
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
    rows = csv_reference_rows(blob)
    if rows is None:
        return Expect(readable=False, why="csv unreadable")
    rows = [r for r in rows if r]
    while rows and blank(rows[0]):
        rows = rows[1:]
    if not rows or "template" not in rows[0] or "template_version" not in rows[0]:
        return Expect(readable=False, why="no template columns")
    ti, vi = rows[0].index("template"), rows[0].index("template_version")

    def key(r: list[str]) -> tuple[str, str]:
        return (r[ti] if ti < len(r) else "", r[vi] if vi < len(r) else "")

    body = [r for r in rows[1:] if key(r) not in originals]
    lo = sum(1 for r in body if not blank(r))
    return Expect(lo, lo + sum(1 for r in body if blank(r)))
