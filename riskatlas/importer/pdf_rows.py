"""The rows of one PDF table region: cells per column, rows started by an anchor column."""

from __future__ import annotations

import statistics

from riskatlas.importer.columns import ID_LIKE, ROW_NO, one_metal, rmi_id
from riskatlas.importer.pdf_layout import Layout, Line, Word

ANCHOR_ROLES = ("row_no", "id", "metal")


def _cells(line: Line, bounds: list[float], trusted: list[bool]) -> list[list[Word]]:
    """The words of one line per column; a word across a trusted border is split there."""
    out: list[list[Word]] = [[] for _ in bounds]

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
                    out[j].append(Word(chs[0]["x0"], chs[-1]["x1"], w.top, w.bottom, text))
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


def table_rows(lines: list[Line], layout: Layout, h: float) -> list[list[str]]:
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
