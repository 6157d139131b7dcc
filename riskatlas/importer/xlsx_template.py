"""The smelter list of a filled RMI template (CMRT, EMRT, AMRT...) or any workbook, as grids."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from riskatlas.importer.model import Grid, ReportError

SMELTER_SHEET = re.compile(r"^\s*smelter\s*list\s*$|^\s*冶炼厂清单\s*$", re.IGNORECASE)
# Sheets of an RMI template that hold RMI's own reference data, never the filer's smelters.
REFERENCE_SHEETS = re.compile(
    r"look-?up|checker|revision|instructions|definitions|declaration|product list|^[LC]$|^SorP$",
    re.IGNORECASE,
)
MAX_EMPTY_RUN = 200  # stop reading a sheet after this many empty rows in a row


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split())


def _sheet_grid(ws, title: str) -> Grid:
    cells: list[list[str]] = []
    refs: list[str] = []
    empty = 0
    for r, row in enumerate(ws.iter_rows(values_only=True), 1):
        texts = [_cell_text(v) for v in row]
        if not any(texts):
            empty += 1
            if empty >= MAX_EMPTY_RUN and cells:
                break
            continue
        empty = 0
        while texts and not texts[-1]:
            texts.pop()
        cells.append(texts)
        refs.append(f"sheet '{title}', row {r}")
    width = max((len(c) for c in cells), default=0)
    for c in cells:
        c.extend([""] * (width - len(c)))
    return Grid(cells=cells, refs=refs, where=f"sheet '{title}'")


def parse_xlsx(path: Path) -> list[Grid]:
    """The 'Smelter List' sheet of an RMI template; in other workbooks, every sheet.

    Why: an RMI template also carries RMI's own reference list ('Smelter Look-up'), which
    must never be read as the filer's smelters. A template without a 'Smelter List' sheet is
    an error, not a reason to read the reference list instead.
    """
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReportError(f"cannot open {path.name} as an Excel workbook: {exc}") from exc
    try:
        names = list(wb.sheetnames)
        listed = [n for n in names if SMELTER_SHEET.match(n)]
        is_template = any(re.search(r"look-?up|declaration", n, re.IGNORECASE) for n in names)
        if listed:
            chosen = listed
        elif is_template:
            raise ReportError(
                f"{path.name} looks like an RMI reporting template but has no 'Smelter List' "
                f"sheet (sheets: {', '.join(names)})"
            )
        else:
            chosen = [n for n in names if not REFERENCE_SHEETS.search(n)]
        grids = [_sheet_grid(wb[n], n) for n in chosen]
    finally:
        wb.close()
    if listed and not any(g.cells for g in grids):
        raise ReportError(
            f"the 'Smelter List' sheet of {path.name} is empty: the template is not filled"
        )
    return grids
