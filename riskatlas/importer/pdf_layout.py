"""A PDF page's words as lines, its table header lines, and where a table's columns lie."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from riskatlas.importer.columns import ROW_NO, classify_header, looks_like_header, rmi_id


@dataclass
class Word:
    """One word and where it stands; its characters allow a split at a column border."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    chars: list = field(default_factory=list, repr=False)


@dataclass
class Line:
    """Words that share a baseline, left to right."""

    top: float
    bottom: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Col:
    """One header column: its extent and name (wrapped header text included)."""

    x0: float
    x1: float
    text: str
    main: str  # the text on the header's main line only


@dataclass
class Layout:
    """An open table: where its columns are and what they hold."""

    bounds: list[float]  # left edge of each column
    header: list[str]
    roles: list[str | None]
    trusted: list[bool]  # per border: from a rule or white space (a word may be split there)
    context_metal: str | None
    section: str | None = None
    last_row_no: int | None = None
    text_mode: bool = False  # a plain-text table: rows read from each line's values


def page_words(page) -> list[Word]:
    """The upright words of a page with their characters (rotated text is never a table cell)."""
    raw = page.extract_words(keep_blank_chars=False, use_text_flow=False, return_chars=True)
    out = []
    for w in raw:
        if not w.get("upright", True):
            continue
        text = w["text"].strip()
        if text:
            out.append(Word(w["x0"], w["x1"], w["top"], w["bottom"], text, w.get("chars", [])))
    return out


def group_lines(words: list[Word], h: float) -> list[Line]:
    """Words grouped into lines by their top (tolerance 0.4 line heights), top to bottom."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(w.top - lines[-1].top) <= 0.4 * h:
            ln = lines[-1]
            ln.words.append(w)
            ln.bottom = max(ln.bottom, w.bottom)
        else:
            lines.append(Line(w.top, w.bottom, [w]))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


def _phrases(words: list[Word], h: float) -> list[Col]:
    """A header line cut into column names: at wide gaps, then into known names greedily."""
    groups: list[list[Word]] = []
    for w in words:
        if groups and w.x0 - groups[-1][-1].x1 <= 0.45 * h:
            groups[-1].append(w)
        else:
            groups.append([w])
    out: list[Col] = []
    for g in groups:
        text = " ".join(w.text for w in g)
        if len(g) == 1 or len(g) > 10 or classify_header(text):
            out.append(Col(g[0].x0, g[-1].x1, text, text))
            continue
        parts: list[Col] = []
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
            parts.append(Col(g[i].x0, g[j - 1].x1, t, t))
            i = j
        # Split a run of words only into several known names, else keep it as one name.
        if sum(1 for c in parts if classify_header(c.text)) >= 2:
            out.extend(parts)
        else:
            out.append(Col(g[0].x0, g[-1].x1, text, text))
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


def header_hint(text: str) -> bool:
    """A short line of plain text naming two kinds of our columns, one a name or an id."""
    text = text.strip()
    if len(text.split()) > 12 or text.endswith((":", ".", "?")):
        return False
    kinds = {_HINT_ROLE.get(m.lower(), "name") for m in _HEADER_HINT.findall(text)}
    return len(kinds) >= 2 and bool(kinds & {"name", "id"})


def is_tight(line: Line, h: float) -> bool:
    """A line whose words are all single-spaced: no white space that could be a column border."""
    return all(b.x0 - a.x1 <= 0.45 * h for a, b in zip(line.words, line.words[1:], strict=False))


def is_header(line: Line, h: float) -> bool:
    """A line naming two of our columns; long lines of prose are not headers."""
    if len(line.words) > 24 or len(_HEADER_HINT.findall(line.text)) < 2:
        return False
    return looks_like_header([c.text for c in _phrases(line.words, h)])


def header_columns(lines: list[Line], i: int, h: float) -> tuple[list[Col], int, int]:
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
            if is_header(ln, h):
                break
            for ph in _phrases(ln.words, h):
                hit = next((c for c in cols if ph.x0 < c.x1 and c.x0 < ph.x1), None)
                if hit is None:
                    cols.append(Col(ph.x0, ph.x1, ph.text, ""))
                else:
                    hit.text = f"{ph.text} {hit.text}" if step < 0 else f"{hit.text} {ph.text}"
                    hit.x0, hit.x1 = min(hit.x0, ph.x0), max(hit.x1, ph.x1)
            lo, hi = min(lo, k), max(hi, k)
            k += step
    cols.sort(key=lambda c: c.x0)
    return cols, lo, hi


def column_role(col: Col) -> str | None:
    """What a column holds, by its whole header text, else by its main line alone."""
    return classify_header(col.text) or (classify_header(col.main) if col.main else None)


def rule_xs(page, top: float, bottom: float) -> list[float]:
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


def _river(lines: list[Line], lo: float, hi: float) -> float | None:
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


def column_bounds(
    cols: list[Col], body: list[Line], rules: list[float]
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
