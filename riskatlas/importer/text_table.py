"""Smelter lists printed as plain text: a header of words on one line, one smelter per line.

Why: some reports print the list as lines of text (``CID Metal Name Country`` over
``CID001070 Tin China Tin Group Co., Ltd. CHINA``), with no ruling and single spaces between
the columns, so neither cell borders nor white space say where a column ends. Such a line is
read by its values instead: the columns left of the name are taken from the left (a row number,
an id, a metal), the columns right of it from the right (a country, a status), and the name is
what is left between. A line that is not a row (a name wrapped onto the line above its id) is
joined to the row it belongs to. The same reader serves PDF pages and HTML text blocks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from riskatlas.countries import to_iso3
from riskatlas.importer.columns import (
    ID_LIKE,
    NAME_ROLES,
    ROW_NO,
    STATUS_WORDS,
    classify_header,
    one_metal,
    rmi_id,
)

MAX_HEADER_WORDS = 12
MAX_PHRASE = 3  # a column name is at most three words ("Smelter Facility Location")
TOKEN_ROLES = ("row_no", "id", "metal", "country", "status")  # roles a reader can find by value
# A name ending like this goes on on the next line ("Chenzhou Yunxiang Mining and").
_OPEN = re.compile(r"(\b(and|of|de|du|da|do|the|for)|[&,+/-])$", re.IGNORECASE)
MAX_WRAPPED = 2  # lines of a wrapped name joined to one row
# A line starting like this continues the name above it rather than starting the next one.
_TAIL = re.compile(
    r"^([a-z(&,]|(?i:co|corp|company|ltd|limited|inc|llc|gmbh|ag|sa|s\.a|plc|pvt|tbk|kg|jsc)\b)"
)


def _segmentations(words: list[str], start: int, used: frozenset) -> list[list[tuple[str, str]]]:
    if start == len(words):
        return [[]]
    out = []
    for k in range(1, MAX_PHRASE + 1):
        if start + k > len(words):
            break
        text = " ".join(words[start : start + k])
        role = classify_header(text)
        if role is None or role in used:
            continue
        for rest in _segmentations(words, start + k, used | {role}):
            out.append([(text, role), *rest])
    return out


def header_phrases(text: str) -> list[tuple[str, str]] | None:
    """A line of plain text read as a table header: [(column name, role)], or None.

    Every word must belong to a column name, each role at most once, a name or an id among
    them and three columns at least (two if they are a name and an id): "CID Metal Name
    Country" -> [("CID", "id"), ("Metal", "metal"), ("Name", "name"), ("Country", "country")].
    Of several readings the one with the most columns wins (ties: see below).
    """
    words = text.split()
    if not 2 <= len(words) <= MAX_HEADER_WORDS or any(rmi_id(w) for w in words):
        return None
    best = None
    for seg in _segmentations(words, 0, frozenset()):
        roles = {r for _, r in seg}
        names = roles & set(NAME_ROLES)
        if len(names) > 1 or not (names or "id" in roles):
            continue
        if len(seg) < 3 and not ({"id"} <= roles and names):
            continue
        free = [r for r in roles if r not in TOKEN_ROLES]
        if len(free) > 1:  # only one column may hold free text
            continue
        # Most columns; then phrases whose last word names the same column ("Smelter ID",
        # not "ID Smelter"); then the most even phrases ("Smelter ID | Metal | Smelter Name",
        # not "Smelter | ID | Metal Smelter Name").
        heads = sum(1 for t, r in seg if classify_header(t.split()[-1]) == r)
        score = (len(seg), heads, -sum(len(t.split()) ** 2 for t, _ in seg))
        if best is None or score > best[0]:
            best = (score, seg)
    return best[1] if best else None


@functools.lru_cache(maxsize=8192)
def _country(text: str) -> str | None:
    return to_iso3(text)


def country_suffix(tokens: Sequence[str], limit: int) -> int:
    """How many tokens at the end of a line make a country ("KOREA, REPUBLIC OF" -> 3), or 0.

    country_converter finds a country anywhere in a text ("Co., Ltd. CHINA" -> China), so a
    longer suffix counts only if its first word is part of the country: without that word it
    must no longer give the same country ("RUSSIAN FEDERATION" yes, "Combine RUSSIA" no).
    """
    for n in range(min(limit, 7), 0, -1):
        s = " ".join(tokens[len(tokens) - n :])
        iso = _country(s)
        if iso is None:
            continue
        if n == 1 or _country(" ".join(tokens[len(tokens) - n + 1 :])) != iso:
            return n
    return 0


def _take_left(role: str, tokens: list[str]) -> int:
    """Tokens at the start of ``tokens`` that hold a value of ``role`` (0: none)."""
    if not tokens:
        return 0
    t = tokens[0]
    if role == "row_no":
        return 1 if ROW_NO.match(t) else 0
    if role == "id":
        return 1 if rmi_id(t) or ID_LIKE.match(t) else 0
    if role == "metal":
        for n in (2, 1):
            if (
                len(tokens) > n
                and one_metal(" ".join(tokens[:n]))
                and len(" ".join(tokens[:n])) <= 20
            ):
                return n
        return 0
    if role == "status":
        for n in (3, 2, 1):
            if len(tokens) > n and STATUS_WORDS.match(" ".join(tokens[:n])):
                return n
        return 0
    if role == "country":
        for n in range(min(6, len(tokens) - 1), 0, -1):
            if _country(" ".join(tokens[:n])) and not _country(" ".join(tokens[1:n]) or "-"):
                return n
        return 0
    return 0


def _take_right(role: str, tokens: list[str]) -> int:
    """Tokens at the end of ``tokens`` that hold a value of ``role`` (0: none)."""
    if len(tokens) < 2:
        return 0
    if role == "country":
        return country_suffix(tokens, len(tokens) - 1)
    if role == "status":
        for n in (3, 2, 1):
            if len(tokens) > n and STATUS_WORDS.match(" ".join(tokens[-n:])):
                return n
        return 0
    if role == "id":
        return 1 if rmi_id(tokens[-1]) or ID_LIKE.match(tokens[-1]) else 0
    if role == "metal":
        return 1 if one_metal(tokens[-1]) else 0
    if role == "row_no":
        return 1 if ROW_NO.match(tokens[-1]) else 0
    return 0


def parse_line(text: str, roles: Sequence[str]) -> list[str] | None:
    """One line as cells in the header's order, or None if it is not a row of this table.

    Every column but the free-text one must be found by its value (a status may be blank): a
    line that does not start with an id under a header starting with "CID" is not a row.
    """
    tokens = text.split()
    free = next((i for i, r in enumerate(roles) if r not in TOKEN_ROLES), None)
    cells = [""] * len(roles)
    left = list(range(len(roles))) if free is None else list(range(free))
    right = [] if free is None else list(range(len(roles) - 1, free, -1))
    for j in left:
        n = _take_left(roles[j], tokens)
        if n == 0:
            if free is None and j == len(roles) - 1 and tokens:  # the last column takes the rest
                n = len(tokens)
            elif roles[j] != "status":  # a status may be left blank
                return None
        cells[j], tokens = " ".join(tokens[:n]), tokens[n:]
    for j in right:
        n = _take_right(roles[j], tokens)
        if n == 0 and roles[j] != "status":  # a status may be left blank
            return None
        cells[j], tokens = " ".join(tokens[len(tokens) - n :]), tokens[: len(tokens) - n]
    if free is not None:
        if not tokens:
            return None
        cells[free] = " ".join(tokens)
    elif tokens:
        return None
    return cells


@dataclass
class TextLine:
    """A line of text, where it is in the file, and its vertical position when known (PDF)."""

    text: str
    ref: str
    top: float | None = None
    bottom: float | None = None


def _name_like(text: str) -> bool:
    """A short line that can be part of a wrapped name (not a sentence, not a page number)."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not text.rstrip().endswith(("!", "?", ":"))
        and not re.fullmatch(r"(page\s*)?\d+(\s*(of|/)\s*\d+)?", text.strip(), re.IGNORECASE)
        and bool(re.search(r"[^\W\d_]{2}", text))
    )


def text_rows(lines: Sequence[TextLine], roles: Sequence[str]) -> list[tuple[list[str], str]]:
    """The rows of a plain-text table: (cells, ref) per row, wrapped name lines joined.

    A line between two rows that is not itself a row joins the row below (a name wrapped onto
    the line above its id) unless it reads as the end of the name above: it starts with a
    legal form or in lower case ("Co., Ltd.", "metals plant"), or the name above ends open
    ("... Mining and"). A wide vertical gap (PDF) or a line that is no part of a name ends the table.
    """
    free = next((i for i, r in enumerate(roles) if r not in TOKEN_ROLES), None)
    parsed = [parse_line(ln.text, roles) for ln in lines]
    anchors = [i for i, p in enumerate(parsed) if p is not None]
    if not anchors:
        return []
    tops = [ln.top for ln in lines]
    pitch = _pitch([tops[i] for i in anchors]) if all(t is not None for t in tops) else None
    rows: dict[int, list[str]] = {i: list(parsed[i]) for i in anchors}
    pending: list[int] = []  # fragment lines waiting for the row below
    last: int | None = None
    for i, ln in enumerate(lines):
        if pitch is not None and i and tops[i] - tops[i - 1] > 3 * pitch:
            pending = []  # a gap: what came before is not part of the next row
        if i in rows:
            if free is not None and pending:
                rows[i][free] = " ".join([*(lines[k].text for k in pending), rows[i][free]])
            pending = []
            last = i
            continue
        if free is None or not _name_like(ln.text):
            pending = []
            continue
        if (
            last is not None
            and not pending
            and (_TAIL.match(ln.text) or _OPEN.search(rows[last][free]))
        ):
            rows[last][free] = f"{rows[last][free]} {ln.text}"
            continue
        pending = [*pending, i][-MAX_WRAPPED:]
    return [(rows[i], lines[i].ref) for i in anchors]


def _pitch(tops: list[float]) -> float | None:
    gaps = sorted(b - a for a, b in zip(tops, tops[1:], strict=False) if b > a)
    return gaps[len(gaps) // 2] if gaps else None


def find_text_tables(
    lines: Sequence[TextLine],
) -> list[tuple[int, list[tuple[str, str]], list[tuple[list[str], str]]]]:
    """Plain-text tables among lines of text: (header line index, header phrases, rows)."""
    out = []
    heads = [i for i, ln in enumerate(lines) if header_phrases(ln.text)]
    for n, i in enumerate(heads):
        phrases = header_phrases(lines[i].text)
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        rows = text_rows(lines[i + 1 : end], [r for _, r in phrases])
        if rows:
            out.append((i, phrases, rows))
    return out
