"""Shapes the importer passes around: a cell grid from any format, and the import result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# The --out file: one line per row found, in this order (the contract).
OUT_COLUMNS = [
    "metal",
    "smelter_name",
    "country",
    "smelter_id",
    "resolved_by",
    "match_score",
    "ref",
]
RESOLVED_BY = ("id", "name", "unresolved")
# Bump when what an import returns changes in a way the code hash below cannot see (e.g. a
# dependency's behaviour); cached results made by another version are never used.
IMPORTER_VERSION = "4"


class ReportError(Exception):
    """The file cannot be imported (unreadable, encrypted, no smelter table): the message says why."""


@dataclass
class Grid:
    """One table as text cells, whatever format it came from.

    ``cells`` holds data as the reader should read it: a cell spanning several columns appears
    once, in its first column. ``header_cells`` (optional) is the same grid with spanned cells
    repeated over every column they cover, which is how a header row must be read.
    ``refs`` says where each row is in the file ("page 25", "table 3, row 7", "row 12").
    """

    cells: list[list[str]]
    refs: list[str]
    where: str
    context_metal: str | None = None
    section: str | None = None  # the title or heading just above the table
    header_cells: list[list[str]] | None = None
    header_row: int | None = None  # known header row (PDF); None = find it

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)


@dataclass
class ImportResult:
    """What an import found: one row per listed smelter, the summary, and the file's identity."""

    rows: pd.DataFrame
    summary: dict[str, Any]
    file_name: str
    sha256: str
    format: str
    brand: str
    year: int | None = None
    messages: list[str] = field(default_factory=list)
    # Lines of a smelter table that name no smelter (ref, section, text): not rows, but counted.
    skipped: list[dict[str, Any]] = field(default_factory=list)
    # Lines read as rows but without evidence of being a smelter (prose, fragments): each with
    # its reason and ref (see evidence.py). Not in ``rows``.
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def source_id(self) -> str:
        """The file as a source: stable for the same bytes, whatever the file is called."""
        return f"report:{self.sha256[:16]}"

    def rejected_frame(self) -> pd.DataFrame:
        """Every line rejected, in file order: table lines naming no smelter, then lines without
        evidence of being a smelter row; ref, reason and what the line said."""
        from riskatlas.importer.evidence import REJECT_COLUMNS, reject_record

        recs = [
            reject_record(s, "no smelter name or ID in this table line") for s in self.skipped
        ] + [dict(r) for r in getattr(self, "rejected", [])]
        return pd.DataFrame(recs, columns=REJECT_COLUMNS)

    def out_frame(self) -> pd.DataFrame:
        """The contract columns of the --out file, every row found."""
        return self.rows[OUT_COLUMNS].copy()
