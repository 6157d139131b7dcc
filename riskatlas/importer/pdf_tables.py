"""Smelter tables of a PDF report as cell grids, read from word positions (pdfplumber)."""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from riskatlas.importer.columns import (
    ID_LIKE,
    RMI_ID_RE,
    ROW_NO,
    classify_header,
    looks_like_header,
    metal_in_heading,
    one_metal,
    rmi_id,
)
from riskatlas.importer.model import Grid, ReportError

ANCHOR_ROLES = ("row_no", "id", "metal")


@dataclass
class _Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    chars: list = field(default_factory=list, repr=False)


@dataclass
class _Line:
    top: float
    bottom: float
    words: list[_Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Col:
    x0: float
    x1: float
    text: str
    main: str  # the text on the header's main line only


@dataclass
class _Layout:
    """An open table: where its columns are and what they hold."""

    bounds: list[float]  # left edge of each column
    header: list[str]
    roles: list[str | None]
    trusted: list[bool]  # per border: from a rule or white space (a word may be split there)
    context_metal: str | None
    section: str | None = None
    last_row_no: int | None = None


def _words(page) -> list[_Word]:
    raw = page.extract_words(keep_blank_chars=False, use_text_flow=False, return_chars=True)
    out = []
    for w in raw:
        if not w.get("upright", True):
            continue
        text = w["text"].strip()
        if text:
            out.append(_Word(w["x0"], w["x1"], w["top"], w["bottom"], text, w.get("chars", [])))
    return out


def _lines(words: list[_Word], h: float) -> list[_Line]:
    """Words grouped into lines by their top (tolerance 0.4 line heights), top to bottom."""
    lines: list[_Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(w.top - lines[-1].top) <= 0.4 * h:
            ln = lines[-1]
            ln.words.append(w)
            ln.bottom = max(ln.bottom, w.bottom)
        else:
            lines.append(_Line(w.top, w.bottom, [w]))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


def _phrases(words: list[_Word], h: float) -> list[_Col]:
    """A header line cut into column names: at wide gaps, then into known names greedily."""
    groups: list[list[_Word]] = []
    for w in words:
        if groups and w.x0 - groups[-1][-1].x1 <= 0.45 * h:
            groups[-1].append(w)
        else:
            groups.append([w])
    out: list[_Col] = []
    for g in groups:
        text = " ".join(w.text for w in g)
        if len(g) == 1 or len(g) > 10 or classify_header(text):
            out.append(_Col(g[0].x0, g[-1].x1, text, text))
            continue
        parts: list[_Col] = []
        i = 0
        while i < len(g):
            j = next(
                (
                    j
                    for j in range(len(g), i, -1)
                    if classify_header(" ".join(w.text for w in g[i:j]))
                ),
                i + 1,
            )
            t = " ".join(w.text for w in g[i:j])
            parts.append(_Col(g[i].x0, g[j - 1].x1, t, t))
            i = j
        # Split a run of words only into several known names, else keep it as one name.
        if sum(1 for c in parts if classify_header(c.text)) >= 2:
            out.extend(parts)
        else:
            out.append(_Col(g[0].x0, g[-1].x1, text, text))
    return out


_HEADER_HINT = re.compile(
    r"smelter|refiner|facility|operator|company|name|\bid\b|cid|metal|mineral|country|location|"
    r"status|冶炼|金属|国家",
    re.IGNORECASE,
)


_HINT_ROLE = {
    "id": "id", "cid": "id", "metal": "metal", "mineral": "metal", "country": "country",
    "location": "country", "status": "status", "金属": "metal", "国家": "country",
}  # fmt: skip


def _header_hint(text: str) -> bool:
    """A short line of plain text naming two kinds of our columns, one a name or an id."""
    text = text.strip()
    if len(text.split()) > 12 or text.endswith((":", ".", "?")):
        return False
    kinds = {_HINT_ROLE.get(m.lower(), "name") for m in _HEADER_HINT.findall(text)}
    return len(kinds) >= 2 and bool(kinds & {"name", "id"})


def _is_header(line: _Line, h: float) -> bool:
    """A line naming two of our columns; long lines of prose are not headers."""
    if len(line.words) > 24 or len(_HEADER_HINT.findall(line.text)) < 2:
        return False
    return looks_like_header([c.text for c in _phrases(line.words, h)])


def _header_columns(lines: list[_Line], i: int, h: float) -> tuple[list[_Col], int, int]:
    """Columns of the header at line i, merging header text wrapped onto touching lines."""
    cols = _phrases(lines[i].words, h)
    lo = hi = i
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(lines):
            ln, ref = lines[k], lines[k - step]
            gap = ln.top - ref.bottom if step > 0 else ref.top - ln.bottom
            if gap > 0.35 * h or any(rmi_id(w.text) or ROW_NO.match(w.text) for w in ln.words):
                break
            if _is_header(ln, h):
                break
            for ph in _phrases(ln.words, h):
                hit = next((c for c in cols if ph.x0 < c.x1 and c.x0 < ph.x1), None)
                if hit is None:
                    cols.append(_Col(ph.x0, ph.x1, ph.text, ""))
                else:
                    hit.text = f"{ph.text} {hit.text}" if step < 0 else f"{hit.text} {ph.text}"
                    hit.x0, hit.x1 = min(hit.x0, ph.x0), max(hit.x1, ph.x1)
            lo, hi = min(lo, k), max(hi, k)
            k += step
    cols.sort(key=lambda c: c.x0)
    return cols, lo, hi


def _role(col: _Col) -> str | None:
    return classify_header(col.text) or (classify_header(col.main) if col.main else None)


def _rule_xs(page, top: float, bottom: float) -> list[float]:
    """x positions where ruling lines or cell shading put a column border, between top and bottom."""
    xs: list[float] = []
    for obj in (*page.lines, *page.rects):
        if obj["bottom"] < top - 2 or obj["top"] > bottom + 2:
            continue
        width = obj["x1"] - obj["x0"]
        if width < page.width * 0.9:
            xs.extend((obj["x0"], obj["x1"]))
    counts: dict[float, int] = {}
    for x in xs:
        k = round(x, 0)
        counts[k] = counts.get(k, 0) + 1
    return sorted(x for x, n in counts.items() if n >= 2)


def _river(lines: list[_Line], lo: float, hi: float) -> float | None:
    """Right end of the widest x-range in [lo, hi] that (almost) no word of these lines covers."""
    if hi - lo < 1 or not lines:
        return None
    step = 0.5
    n = int((hi - lo) / step) + 1
    counts = [0] * n
    for ln in lines:
        for w in ln.words:
            if w.x1 < lo or w.x0 > hi:
                continue
            a = max(0, int((w.x0 - lo) / step))
            b = min(n - 1, int((w.x1 - lo) / step))
            for k in range(a, b + 1):
                counts[k] += 1
    limit = max(0, int(0.04 * len(lines)))
    best: tuple[int, int] | None = None
    k = 0
    while k < n:
        if counts[k] <= limit:
            s = k
            while k < n and counts[k] <= limit:
                k += 1
            if best is None or k - s > best[1] - best[0]:
                best = (s, k)
        k += 1
    if best is None or best[1] - best[0] < 2:
        return None
    return lo + best[1] * step - step


def _bounds(
    cols: list[_Col], body: list[_Line], rules: list[float]
) -> tuple[list[float], list[bool]]:
    """Left edge of each column: a ruling line, else white space, else the header's left edge."""
    bounds = [min(c.x0 for c in cols) - 2]
    trusted = [False]
    for a, b in zip(cols, cols[1:], strict=False):
        lo, hi = (a.x0 + a.x1) / 2, (b.x0 + b.x1) / 2
        near = [x for x in rules if lo < x <= max(b.x0 + 1, lo + 1)]
        if near:
            bounds.append(max(near))
            trusted.append(True)
            continue
        r = _river(body, lo, hi)
        bounds.append(r if r is not None else b.x0 - 1)
        trusted.append(r is not None)
    return bounds, trusted


def _cells(line: _Line, bounds: list[float], trusted: list[bool]) -> list[list[_Word]]:
    """The words of one line per column; a word across a trusted border is split there."""
    out: list[list[_Word]] = [[] for _ in bounds]

    def col_of(x: float) -> int:
        j = 0
        while j + 1 < len(bounds) and x >= bounds[j + 1] - 0.5:
            j += 1
        return j

    for w in line.words:
        j0, j1 = col_of(w.x0), col_of(w.x1 - 0.5)
        if j1 > j0 and w.chars and all(trusted[j0 + 1 : j1 + 1]):
            parts: dict[int, list] = {}
            for ch in w.chars:
                parts.setdefault(col_of((ch["x0"] + ch["x1"]) / 2), []).append(ch)
            for j, chs in parts.items():
                text = "".join(c["text"] for c in chs).strip()
                if text:
                    out[j].append(_Word(chs[0]["x0"], chs[-1]["x1"], w.top, w.bottom, text))
        else:
            out[j0].append(w)
    return out


def _anchor_ok(kind: str, text: str) -> bool:
    if kind == "row_no":
        return bool(ROW_NO.match(text))
    if kind == "id":
        return bool(rmi_id(text) or ID_LIKE.match(text))
    return bool(one_metal(text))


def _anchor_hits(kind: str, values: list[str], last: int | None) -> list[int]:
    """Lines whose value in a candidate anchor column starts a row.

    Row numbers must run upwards in small steps, so a page number in the same column is not
    taken for a row.
    """
    hits = []
    for i, v in enumerate(values):
        if not v or not _anchor_ok(kind, v):
            continue
        if kind == "row_no":
            n = int(v.rstrip("."))
            if last is not None and not last < n <= last + 3:
                continue
            last = n
        hits.append(i)
    return hits


def _rows(lines: list[_Line], layout: _Layout, h: float) -> list[list[str]]:
    """Rows of one table region: anchor lines start rows, other lines join the nearest one."""
    split = [_cells(ln, layout.bounds, layout.trusted) for ln in lines]
    text = [[" ".join(w.text for w in c) for c in cells] for cells in split]
    kinds = {j: r for j, r in enumerate(layout.roles) if r in ANCHOR_ROLES}
    for j in range(len(layout.bounds)):  # a column of CIDs anchors rows whatever its header
        if j not in kinds and sum(1 for t in text if rmi_id(t[j])) >= 2:
            kinds[j] = "id"
    best, best_hits = None, []
    for j in sorted(kinds, key=lambda j: ANCHOR_ROLES.index(kinds[j])):
        hits = _anchor_hits(kinds[j], [t[j] for t in text], layout.last_row_no)
        if len(hits) > len(best_hits):
            best, best_hits = j, hits
    anchors: list[int] = best_hits
    rejected: set[int] = set()
    if best is not None:
        rejected = {i for i, t in enumerate(text) if t[best] and i not in set(anchors)}
        if kinds[best] == "row_no" and anchors:
            layout.last_row_no = int(text[anchors[-1]][best].rstrip("."))
        elif kinds[best] != "row_no":
            layout.last_row_no = None
    elif not kinds:  # no anchor column: a line with a name and any other value starts a row
        name_cols = [j for j, r in enumerate(layout.roles) if r in ("name", "name_std", "name_alt")]
        for i, t in enumerate(text):
            others = [v for j, v in enumerate(t) if v and j not in name_cols]
            if others and any(t[j] for j in name_cols):
                anchors.append(i)
    if not anchors:
        return []
    mids = [lines[i].mid for i in anchors]
    gaps = [b - a for a, b in zip(mids, mids[1:], strict=False)]
    gap = statistics.median(gaps) if gaps else 2.5 * h
    # A far jump between anchors ends the table (a footer or a new block of text).
    keep = [anchors[0]]
    for a, g in zip(anchors[1:], gaps, strict=False):
        if g > max(3 * gap, 6 * h):
            break
        keep.append(a)
    anchors = keep
    reach = max(0.8 * gap, 1.6 * h)
    members: dict[int, list[int]] = {a: [a] for a in anchors}
    first, last_a = lines[anchors[0]].mid, lines[anchors[-1]].mid
    for i, ln in enumerate(lines):
        if i in members or i in rejected:
            continue
        if ln.mid < first - reach or ln.mid > last_a + reach:
            continue
        a = min(anchors, key=lambda a: (abs(lines[a].mid - ln.mid), lines[a].mid > ln.mid))
        if abs(lines[a].mid - ln.mid) <= reach:
            members[a].append(i)
    rows = []
    for a in anchors:
        idx = sorted(members[a], key=lambda i: lines[i].top)
        rows.append(
            [" ".join(text[i][j] for i in idx if text[i][j]) for j in range(len(layout.bounds))]
        )
    return rows


def _title_like(line: _Line) -> bool:
    """A line that could be a section title: no id in it and not starting with a row number."""
    return not any(rmi_id(w.text) for w in line.words) and not ROW_NO.match(line.words[0].text)


def _section(lines: list[_Line]) -> str | None:
    """The title of a table: the nearest short line above its header."""
    for ln in reversed(lines):
        if len(ln.text) <= 120:
            return ln.text
    return None


def _title_metal(lines: list[_Line]) -> str | None:
    for ln in reversed(lines[-3:]):
        m = metal_in_heading(ln.text)
        if m:
            return m
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    """An exception and the ones it wraps (pdfminer wraps its own in PdfminerException)."""
    out: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and all(e is not x for x in out):
        out.append(e)
        inner = [a for a in e.args if isinstance(a, BaseException)]
        e = e.__cause__ or e.__context__ or (inner[0] if inner else None)
    return out


def _exception_text(exc: BaseException) -> str:
    return " ".join(f"{type(e).__name__} {' '.join(map(str, e.args))}" for e in _chain(exc))


def _encrypted_error(path: Path) -> ReportError:
    return ReportError(
        f"{path.name} is an encrypted (password-protected) PDF: open it, save an unprotected "
        "copy, and import that"
    )


def _check_not_locked(path: Path) -> None:
    """Refuse a PDF that needs a password to open (an owner password alone is fine)."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # pypdf logs damage it works around; we report it ourselves
    try:
        from pypdf import PdfReader

        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _encrypted_error(path)
    except ReportError:
        raise
    except Exception as exc:
        if re.search(r"password|encrypt|decrypt", _exception_text(exc), re.IGNORECASE):
            raise _encrypted_error(path) from exc
        # Anything else: let pdfplumber say what is wrong.
    finally:
        log.setLevel(level)


def _open(path: Path):
    _check_not_locked(path)
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises several types for encrypted or broken files
        text = _exception_text(exc)
        if re.search(r"password|encrypt", text, re.IGNORECASE):
            raise _encrypted_error(path) from exc
        names = [type(e).__name__ for e in _chain(exc)]
        detail = ", ".join(dict.fromkeys(n for n in names if n != "PdfminerException")) or "?"
        raise ReportError(
            f"cannot read {path.name} as a PDF (damaged or not a PDF): {detail}"
        ) from exc


def _page_survey(path: Path) -> list[tuple[bool, bool]] | None:
    """Per page: (has text, worth reading with pdfplumber: a header-like line or a CID).

    Why: pdfplumber takes ~0.1 s a page; pdfium's plain text takes ~5 ms, so pages of prose
    are skipped. None (read every page) if pdfium cannot open the file.
    """
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
    except Exception:
        return None
    out = []
    try:
        for i in range(len(doc)):
            text = doc[i].get_textpage().get_text_range()
            header_like = any(_header_hint(ln) for ln in text.splitlines())
            out.append((bool(text.strip()), header_like or bool(RMI_ID_RE.search(text))))
    except Exception:
        return None
    finally:
        doc.close()
    return out


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
    pdf = _open(path)
    survey = _page_survey(path)
    text_pages = 0
    try:
        layout: _Layout | None = None
        for pno, page in enumerate(pdf.pages, 1):
            worth = survey is None or pno > len(survey) or survey[pno - 1][1]
            if not worth and layout is None:  # prose: skip (pdfium saw whether it has text)
                text_pages += survey[pno - 1][0]
                continue
            try:
                words = _words(page)
            except Exception as exc:
                if re.search(r"password|encrypt", _exception_text(exc), re.IGNORECASE):
                    raise _encrypted_error(path) from exc
                raise ReportError(
                    f"cannot read page {pno} of {path.name}: {type(exc).__name__}: {exc}"
                ) from exc
            if not words:
                continue
            text_pages += 1
            h = statistics.median(w.bottom - w.top for w in words) or 8.0
            lines = _lines(words, h)
            heads = [i for i, ln in enumerate(lines) if _is_header(ln, h)]
            regions: list[tuple[_Layout, list[_Line]]] = []
            prev_end = 0
            skip_to = -1
            title_from = 0
            for n, i in enumerate(heads):
                if i <= skip_to:
                    continue
                cols, lo, hi = _header_columns(lines, i, h)
                skip_to = hi
                end = next((k for k in heads[n + 1 :] if k > hi), len(lines))
                if layout is not None and prev_end == 0:
                    # Lines above the first header continue the open table (no header repeat).
                    regions.append((layout, lines[:lo]))
                body = lines[hi + 1 : end]
                rules = _rule_xs(page, lines[hi].bottom, body[-1].bottom if body else page.height)
                bounds, trusted = _bounds(cols, body, rules)
                roles = [_role(c) for c in cols]
                above = [ln for ln in lines[title_from:lo] if _title_like(ln)][-3:]
                title_from = hi + 1
                context = _title_metal(above)
                section = _section(above)
                if layout is not None and prev_end == 0 and context is None:
                    # The same header repeated on the next page: the same table goes on.
                    if [r for r in roles if r] == [r for r in layout.roles if r]:
                        context = layout.context_metal
                        section = layout.section
                layout = _Layout(bounds, [c.text for c in cols], roles, trusted, context, section)
                regions.append((layout, body))
                prev_end = end
            if not heads and layout is not None:
                regions.append((layout, lines))
            found = False
            for lay, body in regions:
                rows = _rows(body, lay, h)
                if not rows:
                    continue
                found = True
                where = f"page {pno}"
                grids.append(
                    Grid(
                        cells=[lay.header, *rows],
                        refs=[f"{where}, header"] + [where] * len(rows),
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
