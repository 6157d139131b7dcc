"""One catalogue of every country indicator, site fact and risk component: label, unit, meaning.

Why: the atlas stores evidence under short codes (``gsi_prevalence_per_1000``, ``fh_E3``,
``child_labour_under15``) and the risk model keeps a normalised 0..1 value beside the value as
published. A reader quoting "gsi_prevalence_per_1000 = 0.78" quotes a code and a number nobody
published. Every page, export and report therefore words a code and a value through this module:
the label, the value as published with its unit (``published``), and the normalised score
labelled as such (``SCORE_LABEL``). Nothing here imports Streamlit.

The entries live in ``riskatlas/data/catalogue.csv``, one line per code (code, kind, label,
unit, format, meaning, source_id, words): adding an indicator or fact is adding one line. Risk
components that are not themselves an indicator or fact code (``ilab_goods_child_labour`` ...)
come from ``riskatlas/risk/weights.toml``, which already labels them; where a component reads an
indicator or fact, its value as published is worded by that code's entry.

``format`` says how a number is written as published: a Python format (``{:g}``, ``{:.1%}`` for a
share stored as a fraction), ``yesno`` (1/0 published as yes/no), ``levels:a|b|c`` (0, 1, 2 ...
published as words) or ``text`` (the value is shown exactly as the source gives it).
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

CATALOGUE_CSV = Path(__file__).parent / "data" / "catalogue.csv"
FIELDS = ("code", "kind", "label", "unit", "format", "meaning", "source_id", "words")
KINDS = ("indicator", "fact", "component")
SCORE_LABEL = "risk score (normalised 0-100, 100 = worst)"
PUBLISHED_LABEL = "value as published"
LEVEL_WORDS = {
    "site": "this site (a dated finding here)",
    "mineral_country": "this mineral in this country",
    "country": "this country",
}
_SOURCE_IN_PARENS = re.compile(r"\(([a-z0-9_]+)\)\s*$")


class CatalogueError(ValueError):
    """catalogue.csv is malformed; the message names the line."""


@dataclass(frozen=True)
class Entry:
    """What one code means: how to label it, write its value and cite where it comes from."""

    code: str
    kind: str  # indicator (country_indicators), fact (site_facts) or component (risk model only)
    label: str
    unit: str  # appended to a formatted number; empty for words
    format: str
    meaning: str  # what the value as published means, its scale and direction
    source_id: str
    words: str = ""  # further words a reader may search by
    model: str = ""  # how the risk model normalises it to 0..1 (weights.toml), if it is used

    def published(self, value: object) -> str:
        """The value as its source publishes it, with the unit ('4.5 per 1,000 people')."""
        return _published(self, value)

    def haystack(self) -> str:
        """Every word a search may match: label, meaning, unit, words, source and code."""
        return fold(
            " ".join((self.label, self.meaning, self.unit, self.words, self.source_id, self.code))
        )


def fold(text: str) -> str:
    """Lower case without accents ('Insécurité' -> 'insecurite'), for matching typed words."""
    nfkd = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if _missing(value) else float(value)
    try:
        return float(str(value).strip().replace(",", ""))
    except ValueError:
        return None


def _published(e: Entry, value: object) -> str:
    if _missing(value):
        return ""
    fmt = e.format
    if fmt == "text" or not fmt:
        text = str(value)
        x = _number(value) if e.unit else None
        return f"{text} {e.unit}" if x is not None else text
    x = _number(value)
    if x is None:  # a word where a number was expected: show it as given
        return str(value)
    if fmt == "yesno":
        return {1.0: "yes", 0.0: "no"}.get(x, str(value))
    if fmt.startswith("levels:"):
        levels = fmt.removeprefix("levels:").split("|")
        i = int(x) if x.is_integer() else -1
        return levels[i] if 0 <= i < len(levels) else str(value)
    text = fmt.format(x)
    return f"{text} {e.unit}" if e.unit else text


def _read_csv(path: Path) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != FIELDS:
            raise CatalogueError(f"{path.name}: header must be {','.join(FIELDS)}")
        for n, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            if not code or not (row.get("label") or "").strip():
                raise CatalogueError(f"{path.name} line {n}: a code and a label are required")
            if row["kind"] not in KINDS:
                raise CatalogueError(f"{path.name} line {n}: kind {row['kind']!r} not in {KINDS}")
            if code in out:
                raise CatalogueError(f"{path.name} line {n}: {code} is listed twice")
            fmt = row["format"] or "text"
            if fmt not in ("text", "yesno") and not fmt.startswith("levels:"):
                try:
                    fmt.format(1.5)
                except (ValueError, IndexError, KeyError) as exc:
                    raise CatalogueError(f"{path.name} line {n}: bad format {fmt!r}") from exc
            out[code] = Entry(**{**{k: (row[k] or "").strip() for k in FIELDS}, "format": fmt})
    return out


def _risk_indicators() -> dict:
    """The risk model's indicators (weights.toml); none if the config cannot be read."""
    try:
        from riskatlas.risk import load_config

        return load_config().indicators
    except (ImportError, OSError, ValueError):  # a broken config must not hide every label
        return {}


@functools.cache
def catalogue() -> dict[str, Entry]:
    """Every entry by code: catalogue.csv, plus the risk components only weights.toml defines."""
    entries = _read_csv(CATALOGUE_CSV)
    for name, ind in _risk_indicators().items():
        if name in entries:
            entries[name] = _with_model(entries[name], ind.normalisation)
            continue
        m = _SOURCE_IN_PARENS.search(ind.source)
        base = entries.get(ind.key) if ind.table in ("country_indicators", "site_facts") else None
        entries[name] = Entry(
            code=name,
            kind="component",
            label=ind.label,
            unit=base.unit if base else "",
            format=base.format if base else "text",
            meaning=ind.rationale,
            source_id=m.group(1) if m else ind.source,
            model=ind.normalisation,
        )
    # an indicator or fact the model reads under another name gets that component's scale
    for ind in _risk_indicators().values():
        if ind.key in entries and entries[ind.key].kind != "component":
            if not entries[ind.key].model:
                entries[ind.key] = _with_model(entries[ind.key], ind.normalisation)
    return entries


def _with_model(e: Entry, normalisation: str) -> Entry:
    return Entry(**{**e.__dict__, "model": normalisation})


def entry(code: str) -> Entry:
    """The entry of ``code``; a code the catalogue lacks gets a plain-words stand-in label (the
    test suite fails on any such code in the real atlas, so this only covers new data)."""
    e = catalogue().get(code)
    if e is not None:
        return e
    words = str(code).replace("_", " ").strip()
    return Entry(
        code=str(code),
        kind="indicator",
        label=f"{words[:1].upper()}{words[1:]} (not yet described)",
        unit="",
        format="text",
        meaning="No catalogue entry yet: the value is shown exactly as the source gives it.",
        source_id="",
    )


def label(code: str) -> str:
    """The human label of a code."""
    return entry(code).label


def published(code: str, value: object) -> str:
    """The value of ``code`` as its source publishes it, with its unit."""
    return entry(code).published(value)


def score(value01: object) -> int | None:
    """A normalised 0..1 component value as the 0-100 score every page and the report show,
    rounded half up so that 0.225 reads 23 everywhere (None stays unknown)."""
    x = _number(value01)
    return None if x is None else int(math.floor(100.0 * x + 0.5 + 1e-9))


def level_words(level: object) -> str:
    """Which rung of the evidence ladder a component stands on, in words."""
    return LEVEL_WORDS.get(str(level), str(level))


def search(text: str, codes: Iterable[str]) -> list[str]:
    """The codes whose label, meaning, unit, search words, source or code contain every word of
    ``text`` (case and accents ignored), best first: label matches before meaning-only matches.
    An empty text keeps every code, in the order given."""
    codes = list(codes)
    words = fold(text).split()
    if not words:
        return codes
    hits = []
    for i, code in enumerate(codes):
        e = entry(code)
        if all(w in e.haystack() for w in words):
            in_label = sum(w in fold(e.label) for w in words)
            hits.append((-in_label, i, code))
    return [c for *_, c in sorted(hits)]


def normalised(code: str, value: object) -> float | None:
    """The risk model's 0-100 score for one country indicator value, or None when the model
    does not use the indicator (or the value is not a number). Same normalisation as the build."""
    from riskatlas.risk.components import normalise

    x = _number(value)
    if x is None:
        return None
    for ind in _risk_indicators().values():
        if ind.table == "country_indicators" and ind.key == code:
            v = normalise(ind.normalise, ind.params, pd.Series([x])).iloc[0]
            return None if _missing(v) else score(v)
    return None


def components_table(components: pd.DataFrame) -> pd.DataFrame:
    """Risk components as a reader sees them: the evidence's label, the rung in words, the value
    as published with its unit, the normalised score labelled as such, weight, contribution and
    the citation (and the risk it counts for, when ``dimension`` is given). ``components`` has
    indicator, level, raw_value, value, weight, contribution, source_id, source_ref (the columns
    of risk_components)."""
    c = components.reset_index(drop=True)
    raw = c["raw_value"] if "raw_value" in c else pd.Series([None] * len(c))
    out = pd.DataFrame(
        {
            "evidence": [label(i) for i in c["indicator"]],
            "about": [level_words(v) for v in c["level"]],
            PUBLISHED_LABEL: [published(i, r) for i, r in zip(c["indicator"], raw, strict=True)],
            SCORE_LABEL: [score(v) for v in c["value"]],
            "weight": c["weight"],
            "adds to the score": c["contribution"],
            "source": c["source_id"],
            "reference": c["source_ref"],
        }
    )
    if "dimension" in c:
        out.insert(0, "risk", c["dimension"].to_numpy())
    return out


def table() -> pd.DataFrame:
    """The whole catalogue for the Sources page: what each code means and where it comes from."""
    rows = [
        {
            "label": e.label,
            "kind": e.kind,
            "unit": e.unit,
            "what the value means (scale, direction)": e.meaning,
            "in the risk model (0..1, 1 = worst)": e.model,
            "source": e.source_id,
            "code": e.code,
        }
        for e in catalogue().values()
    ]
    order = {k: i for i, k in enumerate(KINDS)}
    return (
        pd.DataFrame(rows)
        .sort_values(["kind", "label"], key=lambda s: s.map(order) if s.name == "kind" else s)
        .reset_index(drop=True)
    )
