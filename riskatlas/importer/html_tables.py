"""Every table of an HTML filing (SEC Form SD, Conflict Minerals Report) as cell grids, in order."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html

from riskatlas.importer.columns import metal_in_heading
from riskatlas.importer.model import Grid, ReportError
from riskatlas.importer.text_table import TextLine, find_text_tables

_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "span",
    "font",
    "b",
    "strong",
    "caption",
}
_MAX_SPAN = 50
# Elements whose text is read as lines of text (a plain-text smelter list) when no such
# element sits inside them.
_LINE_BLOCKS = {"p", "div", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "td"}


def _text(el) -> str:
    return " ".join("".join(el.itertext()).replace("\xa0", " ").split())


def _span(el, attr: str) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(str(el.get(attr, "1")).strip() or 1)))
    except ValueError:
        return 1


def _own_rows(table) -> list:
    """Rows of this table, not of tables nested inside it."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _fill_pending(pending: dict, col: int, row: list[str], hrow: list[str]) -> int:
    """Put the cells of earlier rows' rowspans that cover this row from ``col`` on."""
    while col in pending:
        left, text, first = pending[col]
        row.append(text if first else "")
        hrow.append(text)
        if left <= 1:
            del pending[col]
        else:
            pending[col] = (left - 1, text, first)
        col += 1
    return col


def table_grids(table) -> tuple[list[list[str]], list[list[str]]]:
    """(cells, header_cells) of one table, with rowspans filled down and colspans placed.

    In ``cells`` a cell spanning columns sits in its first column only, so a value is read
    once; in ``header_cells`` it is repeated across its span, which is how headers are read.
    """
    cells: list[list[str]] = []
    header: list[list[str]] = []
    pending: dict[int, tuple[int, str, bool]] = {}  # column -> (rows left, text, first col)
    for tr in _own_rows(table):
        row: list[str] = []
        hrow: list[str] = []
        col = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            col = _fill_pending(pending, col, row, hrow)
            text = _text(td)
            cs, rs = _span(td, "colspan"), _span(td, "rowspan")
            for k in range(cs):
                row.append(text if k == 0 else "")
                hrow.append(text)
                if rs > 1:
                    pending[col] = (rs - 1, text, k == 0)
                col += 1
        _fill_pending(pending, col, row, hrow)
        cells.append(row)
        header.append(hrow)
    width = max((len(r) for r in cells), default=0)
    for r in (*cells, *header):
        r.extend([""] * (width - len(r)))
    return cells, header


def _lines_of(el) -> list[str]:
    """The text of a leaf block as lines: <br> and the newlines of <pre> break lines."""
    parts: list[str] = []
    pre = el.tag.lower() == "pre"

    def walk(e):
        if isinstance(e.tag, str) and e.tag.lower() == "br":
            parts.append("\n")
        elif e.text:
            parts.append(e.text if pre else e.text.replace("\n", " "))
        for c in e:
            walk(c)
            if c.tail:
                parts.append(c.tail if pre else c.tail.replace("\n", " "))

    walk(el)
    text = "".join(parts).replace("\xa0", " ")
    return [" ".join(ln.split()) for ln in text.split("\n") if ln.strip()]


def _inner_blocks(root) -> set:
    """Elements holding a block (or table) inside them: their text is not one line block.

    One pass over the tree (each ancestor marked once), so deep nesting stays linear.
    """
    marked: set = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.lower() not in (_LINE_BLOCKS | {"table"}):
            continue
        for anc in el.iterancestors():
            if anc in marked:
                break
            marked.add(anc)
    return marked


def _text_grids(lines: list[TextLine], recent: list[str]) -> list[Grid]:
    """Plain-text smelter lists among the text lines read since the last table.

    The metal and section of each come from the lines just above its header (a "Tin"
    heading), else from the text blocks seen before these lines.
    """
    out = []
    prev = 0
    for i, phrases, rows in find_text_tables(lines):
        heads = [*recent[-3:], *(t.text for t in lines[prev:i][-3:])]
        context = next((m for m in map(metal_in_heading, reversed(heads)) if m), None)
        section = next((t for t in reversed(heads) if t and len(t) <= 120), None)
        out.append(
            Grid(
                cells=[[t for t, _ in phrases], *[cells for cells, _ in rows]],
                refs=[f"{lines[i].ref}, header", *[ref for _, ref in rows]],
                where=rows[0][1],
                context_metal=context,
                section=section,
                header_row=0,
            )
        )
        prev = i + 1 + len(rows)
    return out


def parse_html(path: Path) -> list[Grid]:
    """All tables of the document as grids, each with the metal named by the heading above it."""
    data = path.read_bytes()
    try:
        parser = lxml.html.HTMLParser(recover=True, huge_tree=True)
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ReportError(f"cannot parse {path.name} as HTML: {exc}") from exc
    grids: list[Grid] = []
    inner = _inner_blocks(root)
    recent: list[str] = []  # text blocks seen since the last table, newest last
    text: list[TextLine] = []  # lines of text outside tables since the last table
    n = 0
    n_lines = 0

    def flush_text() -> None:
        nonlocal text
        if text:
            grids.extend(_text_grids(text, recent))
        text = []

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in _LINE_BLOCKS and tag != "td" and next(el.iterancestors("table"), None) is None:
            if el not in inner:
                for ln in _lines_of(el):
                    n_lines += 1
                    text.append(TextLine(ln, f"text line {n_lines}"))
        if tag == "table":
            if next(el.iterancestors("table"), None) is not None:
                continue  # nested: read as part of its outer table's cells
            flush_text()
            n += 1
            cells, header = table_grids(el)
            if not cells:
                continue
            caption = [
                _text(c) for c in el if isinstance(c.tag, str) and c.tag.lower() == "caption"
            ]
            heads = [*recent[-3:], *caption]
            context = next((m for m in map(metal_in_heading, reversed(heads)) if m), None)
            section = next((t for t in reversed(heads) if t and len(t) <= 120), None)
            where = f"table {n}"
            grids.append(
                Grid(
                    cells=cells,
                    header_cells=header,
                    refs=[f"{where}, row {i + 1}" for i in range(len(cells))],
                    where=where,
                    context_metal=context,
                    section=section,
                )
            )
            recent = []
        elif tag in _BLOCKS and next(el.iterancestors("table"), None) is None:
            text_ = (el.text or "").strip()
            if text_:
                recent.append(text_)
                recent = recent[-6:]
    flush_text()
    return grids
