"""The filtered set behind the Map page: plain sites, or a brand's documented and inferred sites."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from riskatlas import db
from riskatlas.filters import FilterState, Vocabulary


def vocabulary() -> Vocabulary:
    """Filter vocabulary from the database (cached by db.query)."""
    brands = db.query("vocab_brands")
    countries = db.query("vocab_countries")
    years = db.query("vocab_years")
    return Vocabulary(
        brands=dict(zip(brands["brand_id"], brands["name"], strict=True)),
        minerals=tuple(db.query("vocab_minerals")["mineral"]),
        countries=dict(zip(countries["country_iso3"], countries["name"], strict=True)),
        years=tuple(int(y) for y in years["year"]),
    )


@dataclass
class FilteredSet:
    """Rows of the view (one per site and kind) and what was left out, for honest captions."""

    frame: pd.DataFrame
    n_documented: int
    n_inferred: int
    n_sites: int
    hidden_unknown: int  # rows left out by min_risk because their score is unknown
    unlocated_links: int  # documented links whose site is not in the atlas


def filtered_set(state: FilterState) -> FilteredSet:
    """Exactly the rows the map, the hotspot table and the downloads show.

    Without a brand: every site matching the filters (kind 'site'). With brands: documented
    links (kind 'documented') and inferred exposure (kind 'inferred') as separate rows, never
    merged. min_risk keeps rows whose score on the chosen dimension is at least that; rows with
    an unknown score are left out and counted (unknown is not low, and not high either).
    """
    p = state.sql_params()
    unlocated = 0
    if state.brands:
        parts = [db.query("brand_documented", p)]
        if db.has_table("inferred_exposure"):
            parts.append(db.query("brand_inferred", p))
        frame = pd.concat([x for x in parts if not x.empty] or [parts[0]], ignore_index=True)
        unlocated = int(
            db.query(
                "brand_unlocated_links",
                {k: p[k] for k in ("brands", "minerals", "year")},
            )["n"].iloc[0]
        )
    else:
        frame = db.query("sites_filtered", {k: v for k, v in p.items() if k != "brands"})
    hidden = 0
    if state.min_risk is not None and not frame.empty:
        score = frame[state.dimension]
        hidden = int(score.isna().sum())
        frame = frame[score.notna() & (score >= state.min_risk)]
    frame = rank(frame, state.dimension)
    kinds = frame["kind"].value_counts() if not frame.empty else pd.Series(dtype=int)
    return FilteredSet(
        frame=frame,
        n_documented=int(kinds.get("documented", 0)),
        n_inferred=int(kinds.get("inferred", 0)),
        n_sites=int(kinds.get("site", 0)),
        hidden_unknown=hidden,
        unlocated_links=unlocated,
    )


def rank(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Highest score first; unknown scores last (never ranked as low); then documented before
    inferred, then by name and id for a stable order."""
    if frame.empty:
        return frame.reset_index(drop=True)
    order = {"documented": 0, "site": 1, "inferred": 2}
    out = frame.assign(
        _unknown=frame[dimension].isna(),
        _kind=frame["kind"].map(order).fillna(3),
        _name=frame["name"].fillna("").str.lower(),
    )
    out = out.sort_values(
        ["_unknown", dimension, "_kind", "_name", "site_id"],
        ascending=[True, False, True, True, True],
        na_position="last",
        kind="mergesort",
    )
    return out.drop(columns=["_unknown", "_kind", "_name"]).reset_index(drop=True)
