"""Smelter tables of a PDF report as cell grids, read from word positions (pdfplumber)."""

from __future__ import annotations

import copy
import re
import statistics
from pathlib import Path

from riskatlas.importer.columns import ROW_NO, metal_in_heading, rmi_id
from riskatlas.importer.model import Grid, ReportError
from riskatlas.importer.pdf_layout import (
    Col,
    Layout,
    Line,
    column_bounds,
    column_role,
    group_lines,
    header_columns,
    is_header,
    is_tight,
    page_words,
    rule_xs,
)
from riskatlas.importer.pdf_open import encrypted_error, exception_text, open_pdf, page_survey
from riskatlas.importer.pdf_rows import table_rows
from riskatlas.importer.text_table import TextLine, header_phrases, text_rows


def _title_like(line: Line) -> bool:
    """A line that could be a section title: no id in it and not starting with a row number."""
    return not any(rmi_id(w.text) for w in line.words) and not ROW_NO.match(line.words[0].text)


def _section(lines: list[Line]) -> str | None:
    """The title of a table: the nearest short line above its header."""
    for ln in reversed(lines):
        if len(ln.text) <= 120:
            return ln.text
    return None


def _title_metal(lines: list[Line]) -> str | None:
    """The metal a section title above a table names ("Cobalt (Co) Smelter List")."""
    for ln in reversed(lines[-3:]):
        m = metal_in_heading(ln.text)
        if m:
            return m
    return None


def _text_header(line: Line, h: float) -> list[tuple[str, str]] | None:
    """The columns of a plain-text header line ("CID Metal Name Country"), if it is one."""
    return header_phrases(line.text) if is_tight(line, h) else None


def _refit(layout: Layout, page, body: list[Line], h: float = 8.0) -> Layout:
    """The open table's columns, moved to where this page puts them.

    Why: a table continued on the next page without its header is often laid out afresh
    (column widths follow that page's contents). Its cell borders, when it has one per
    column, say where the columns now are; without ruling, the white space between columns
    does, when the old columns no longer fit (a word across a border, a column left empty).
    """
    if layout.text_mode or not body:
        return layout
    xs = rule_xs(page, body[0].top, body[-1].bottom)
    left = min(w.x0 for ln in body for w in ln.words)
    xs = [x for x in xs if x >= left - 12]  # a border right of the last word closes the table
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > 3:
            merged.append(x)
    out = copy.copy(layout)
    if len(merged) == len(layout.bounds) + 1:
        out.bounds = merged[:-1]
        out.trusted = [False, *[True] * (len(merged) - 2)]
        return out
    gaps = _gaps(body, h)
    if len(layout.bounds) < 2 or len(gaps) < len(layout.bounds) - 1:
        return layout
    widest = sorted(sorted(gaps, key=lambda g: g[1] - g[0])[-(len(layout.bounds) - 1) :])
    bounds = [layout.bounds[0], *(b - 1 for _, b in widest)]
    if _fit(body, bounds) > _fit(body, layout.bounds):
        out.bounds = bounds
        out.trusted = [False] * len(bounds)
        return out
    return layout


def _gaps(body: list[Line], h: float) -> list[tuple[float, float]]:
    """x-ranges inside the table that no word of these lines covers, at least 0.8 h wide."""
    spans = sorted((w.x0, w.x1) for ln in body for w in ln.words)
    out = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= 0.8 * h:
            out.append((reach, x0))
        reach = max(reach, x1)
    return out


def _fit(body: list[Line], bounds: list[float]) -> int:
    """How well columns fit lines: lines with a value in every column, minus words cut."""
    cut = sum(1 for ln in body for w in ln.words for b in bounds[1:] if w.x0 < b < w.x1)
    full = 0
    for ln in body:
        cols = {sum(1 for b in bounds[1:] if w.x0 >= b) for w in ln.words}
        full += len(cols) == len(bounds)
    return full - 2 * cut


def _region_rows(
    body: list[Line], layout: Layout, h: float, where: str
) -> tuple[list[list[str]], list[str]]:
    """The rows of one table region and the reference of each."""
    if layout.text_mode:
        got = text_rows([TextLine(ln.text, where, ln.top, ln.bottom) for ln in body], layout.roles)
        return [cells for cells, _ in got], [ref for _, ref in got]
    rows = table_rows(body, layout, h)
    return rows, [where] * len(rows)


def parse_pdf(path: Path) -> list[Grid]:
    """Every smelter table of the PDF as grids (one per page and table), in page order.

    Why word positions: report tables wrap names over lines, repeat or omit headers on later
    pages and often have no ruling lines, which defeats line-based table finders. A table is
    found by its header line (two or more of our column names); its columns by the header's
    positions, refined by ruling lines or the white space between columns; its rows by an
    anchor column (row number, id or metal) with one line per row, wrapped names above or
    below joining the nearest row. A page without a header continues the open table when its
    lines fit the same columns; a section title such as "Cobalt (Co) Smelter List" gives the
    metal to a table without a metal column.
    """
    grids: list[Grid] = []
    pdf = open_pdf(path)
    survey = page_survey(path)
    text_pages = 0
    try:
        layout: Layout | None = None
        for pno, page in enumerate(pdf.pages, 1):
            worth = survey is None or pno > len(survey) or survey[pno - 1][1]
            if not worth and layout is None:  # prose: skip (pdfium saw whether it has text)
                text_pages += survey[pno - 1][0]
                continue
            try:
                words = page_words(page)
            except Exception as exc:
                if re.search(r"password|encrypt", exception_text(exc), re.IGNORECASE):
                    raise encrypted_error(path) from exc
                raise ReportError(
                    f"cannot read page {pno} of {path.name}: {type(exc).__name__}: {exc}"
                ) from exc
            if not words:
                continue
            text_pages += 1
            h = statistics.median(w.bottom - w.top for w in words) or 8.0
            lines = group_lines(words, h)
            heads = [i for i, ln in enumerate(lines) if is_header(ln, h) or _text_header(ln, h)]
            regions: list[tuple[Layout, list[Line]]] = []
            prev_end = 0
            skip_to = -1
            title_from = 0
            for n, i in enumerate(heads):
                if i <= skip_to:
                    continue
                phrases = _text_header(lines[i], h)
                if phrases:  # a plain-text table: no column borders to find
                    lo = hi = i
                    cols = [Col(0, 0, t, t) for t, _ in phrases]
                else:
                    cols, lo, hi = header_columns(lines, i, h)
                skip_to = hi
                end = next((k for k in heads[n + 1 :] if k > hi), len(lines))
                if layout is not None and prev_end == 0:
                    # Lines above the first header continue the open table (no header repeat).
                    regions.append((_refit(layout, page, lines[:lo], h), lines[:lo]))
                body = lines[hi + 1 : end]
                if phrases:
                    bounds, trusted = [0.0] * len(cols), [False] * len(cols)
                else:
                    bottom = body[-1].bottom if body else page.height
                    rules = rule_xs(page, lines[hi].bottom, bottom)
                    bounds, trusted = column_bounds(cols, body, rules)
                roles = [column_role(c) for c in cols]
                above = [ln for ln in lines[title_from:lo] if _title_like(ln)][-3:]
                title_from = hi + 1
                context = _title_metal(above)
                section = _section(above)
                if layout is not None and prev_end == 0 and context is None:
                    # The same header repeated on the next page: the same table goes on.
                    if [r for r in roles if r] == [r for r in layout.roles if r]:
                        context = layout.context_metal
                        section = layout.section
                layout = Layout(bounds, [c.text for c in cols], roles, trusted, context, section)
                layout.text_mode = bool(phrases)
                regions.append((layout, body))
                prev_end = end
            if not heads and layout is not None:
                layout = _refit(layout, page, lines, h)
                regions.append((layout, lines))
            found = False
            for lay, body in regions:
                where = f"page {pno}"
                rows, refs = _region_rows(body, lay, h, where)
                if not rows:
                    continue
                found = True
                grids.append(
                    Grid(
                        cells=[lay.header, *rows],
                        refs=[f"{where}, header", *refs],
                        where=where,
                        context_metal=lay.context_metal,
                        section=lay.section,
                        header_row=0,
                    )
                )
            if not heads and not found:
                layout = None
    finally:
        pdf.close()
    if text_pages == 0:
        raise ReportError(
            f"{path.name} has no text layer (a scanned or image-only PDF): run OCR on it "
            "first, or import the list as CSV"
        )
    return grids
