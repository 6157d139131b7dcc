"""Brand exposure reports: one brand's documented and inferred exposure, every claim cited."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .data import ReportData, gather
from .render import html_to_pdf, render_html

__all__ = ["ReportData", "gather", "render_html", "html_to_pdf", "write_report"]


def write_report(
    con: duckdb.DuckDBPyConnection, brand: str, out: Path, minerals=None, year=None
) -> ReportData:
    """Write the report for ``brand`` to ``out`` (.html or .pdf) and return what it states."""
    out = Path(out)
    d = gather(con, brand, minerals=minerals, year=year)
    html = render_html(con, d)
    if out.suffix.lower() == ".pdf":
        html_to_pdf(html, out)
    elif out.suffix.lower() in (".html", ".htm"):
        out.write_text(html, encoding="utf-8")
    else:
        raise ValueError(f"--out must end in .html or .pdf, not {out.suffix!r}")
    return d
