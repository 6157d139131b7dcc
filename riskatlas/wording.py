"""Sentences the pages build from data: lists of names, titles, and why a view is empty.

Why a module: titles read "Where tin and tantalum and tungsten and gold is mined", and an empty
brand view said only "Nothing matches these filters." without saying that the atlas holds the
brand's supplier list but no smelter list. The wording is data-driven and tested here, away from
Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

THREE_TG = ("tin", "tantalum", "tungsten", "gold")
RELATION_TEXT = {
    "lists_smelter": "smelter and refiner list",
    "lists_supplier": "supplier list (factories, no minerals named)",
}


def join_names(names: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c': a list as a sentence writes it."""
    items = [str(n) for n in names if str(n)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def minerals_phrase(minerals: Sequence[str]) -> str:
    """The minerals of a title; the four conflict minerals together are '3TG (…)'."""
    if len(minerals) == 4 and set(minerals) == set(THREE_TG):
        return "3TG (" + join_names(THREE_TG) + ")"
    return join_names(minerals)


def possessive(name: str) -> str:
    """'Samsung Electronics’' and 'Apple’s'."""
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def map_title(minerals: Sequence[str], brand_names: Sequence[str]) -> str:
    """The Map page's title: the question its filters ask, grammatical for any number of
    minerals and brands."""
    what = minerals_phrase(minerals) if minerals else ""
    if brand_names:
        names = join_names(brand_names)
        if what:
            return f"Where could the {what} in {possessive(names)} products come from?"
        return f"Where are the suppliers and smelters {names} lists?"
    if what:
        verb = "is" if len(minerals) == 1 else "are"
        return f"Where {what} {verb} mined, refined and used"
    return "Electronics supply-chain risk atlas"


def year_ranges(years: Iterable[int]) -> str:
    """'2012–2018 and 2020–2022' from the years a brand has lists for."""
    ys = sorted({int(y) for y in years})
    runs: list[tuple[int, int]] = []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return join_names(f"{a}–{b}" if a != b else str(a) for a, b in runs)


def missing_years(years: Iterable[int]) -> list[int]:
    """Years between a brand's first and last list with no list in the source."""
    ys = sorted({int(y) for y in years})
    return [y for y in range(ys[0], ys[-1] + 1) if y not in set(ys)] if ys else []


def _items(value) -> list:
    """A list cell as a list ([] for NULL)."""
    if value is None or not hasattr(value, "__iter__") or isinstance(value, str):
        return []
    return list(value)


def _years(value) -> list[int]:
    return [int(y) for y in _items(value)]


def brand_lists_text(coverage: pd.DataFrame, brand_id: str) -> str:
    """What the atlas holds of one brand's lists (rows of queries/brand_coverage.sql), with the
    years the source has no list for said as such."""
    rows = coverage[coverage["brand_id"] == brand_id]
    if rows.empty:
        return ""
    name = str(rows["brand_name"].iloc[0])
    parts = []
    for r in rows.itertuples(index=False):
        years = _years(r.years)
        kind = RELATION_TEXT.get(r.relation, str(r.relation))
        text = f"{kind}, {year_ranges(years)}" if years else kind
        gaps = missing_years(years)
        if gaps:
            text += f" (no list for {join_names(str(y) for y in gaps)} in the source)"
        minerals = _items(r.minerals)
        if minerals:
            text += f", naming {join_names(sorted(minerals))}"
        parts.append(f"{text} [{r.source_ids}]")
    return f"The atlas holds {possessive(name)} " + "; ".join(parts) + "."


def why_empty(
    coverage: pd.DataFrame,
    brand_ids: Sequence[str],
    minerals: Sequence[str],
    year: int | None,
    other_filters: bool,
) -> str:
    """Why a brand view holds no row, from what the brands' lists hold (never a bare 'nothing
    matches'): no smelter list for the mineral, no list that year, or the other filters."""
    reasons = []
    for brand_id in brand_ids:
        rows = coverage[coverage["brand_id"] == brand_id]
        if rows.empty:
            reasons.append(f"The atlas holds no list published by {brand_id}.")
            continue
        name = str(rows["brand_name"].iloc[0])
        listed = sorted({m for ms in rows["minerals"] for m in _items(ms)})
        years = sorted({y for ys in rows["years"] for y in _years(ys)})
        held = brand_lists_text(coverage, brand_id)
        if minerals and not set(minerals) & set(listed):
            smelter = rows["relation"].eq("lists_smelter").any()
            what = (
                f"its smelter list names {join_names(listed)}, not {join_names(minerals)}"
                if smelter
                else f"no {name} list names smelters or minerals, so no {join_names(minerals)} "
                "site can be linked to it, documented or inferred"
            )
            reasons.append(f"{held} So {what}.")
        elif year is not None and year not in years:
            reasons.append(
                f"{held} There is no {name} list for {year}: pick one of {year_ranges(years)}."
            )
        elif other_filters:
            reasons.append(
                f"{held} None of the sites it lists (or that are inferred for it) match the "
                "other filters (tier, country, minimum risk)."
            )
        else:
            reasons.append(held)
    return " ".join(reasons)
