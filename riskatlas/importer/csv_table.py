"""A delimited text file (CSV, semicolon or tab separated) as one grid."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from riskatlas.importer.model import Grid, ReportError


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ReportError(f"cannot decode {path.name} as text")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, equally wide, columns."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        return max(counts, key=counts.get)


def parse_csv(path: Path) -> list[Grid]:
    """All rows of the file; the header is found like any table's (it need not be row 1)."""
    text = read_text(path)
    if not text.strip():
        raise ReportError(f"{path.name} is empty")
    delim = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    except csv.Error as exc:
        raise ReportError(f"cannot parse {path.name} as CSV: {exc}") from exc
    cells, refs = [], []
    for i, r in enumerate(rows, 1):
        texts = [" ".join(c.split()) for c in r]
        if any(texts):
            cells.append(texts)
            refs.append(f"row {i}")
    width = max((len(c) for c in cells), default=0)
    for c in cells:
        c.extend([""] * (width - len(c)))
    return [Grid(cells=cells, refs=refs, where=path.name)]
