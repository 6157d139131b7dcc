"""The filtered set behind the Map page (plain sites, or a brand's documented and inferred sites)
and approved contributions, always kept apart, read through the app's caches."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from riskatlas import paths
from riskatlas.filters import FilterState, Vocabulary
from riskatlas.map_deck import contributions_in_view
from riskatlas.place_names import country_aliases
from riskatlas.ui import connection
from riskatlas.view import View


def vocabulary() -> Vocabulary:
    """Filter vocabulary from the database: built once per database file version and shared by
    every session. Building it on each run (six cached queries copied, dicts of every brand,
    country and province, then their name index hashed) was a tenth of what a reader's visit
    cost a server with many readers (issue 19)."""
    return _vocabulary(connection.version())


@st.cache_resource(max_entries=2, show_spinner=False)
def _vocabulary(db_version: str) -> Vocabulary:
    brands = connection.query("vocab_brands")
    countries = connection.query("vocab_countries")
    years = connection.query("vocab_years")
    return Vocabulary(
        brands=dict(zip(brands["brand_id"], brands["name"], strict=True)),
        minerals=tuple(connection.query("vocab_minerals")["mineral"]),
        countries=dict(zip(countries["country_iso3"], countries["name"], strict=True)),
        years=tuple(int(y) for y in years["year"]),
        country_aliases=country_aliases(countries),
        places=_place_countries,
        place_provinces=_place_provinces,
        **_provinces(),
    )


def _place_countries(text: str) -> list[str]:
    """Countries of the sites a place name points at ("kolwezi" -> COD; cached by connection.query)."""
    return list(connection.query("place_countries", {"text": text})["country_iso3"])


def _place_provinces(text: str) -> list[str]:
    """Provinces of the sites a place name points at ("kolwezi" -> lualaba; cached by connection.query);
    none for an atlas built without the search tables."""
    from riskatlas.places import search_words

    try:
        return list(
            connection.query("place_provinces", {"words": search_words(text)})["province_key"]
        )
    except duckdb.CatalogException:
        return []


def _provinces() -> dict:
    """The province vocabulary (queries/vocab_provinces.sql), empty for an atlas built before
    provinces were kept."""
    try:
        frame = connection.query("vocab_provinces")
    except duckdb.CatalogException:
        return {}
    return {
        "provinces": dict(zip(frame["province_key"], frame["name"], strict=True)),
        "province_countries": {
            k: tuple(c) for k, c in zip(frame["province_key"], frame["countries"], strict=True)
        },
    }


def brand_coverage(brands: tuple[str, ...] = ()) -> pd.DataFrame:
    """What the brands' lists hold (queries/brand_coverage.sql; cached by connection.query)."""
    return connection.query("brand_coverage", {"brands": list(brands)})


def filtered_set(state: FilterState) -> View:
    """Exactly the rows the map, the hotspot table and the downloads show, counted in DuckDB.

    Without a brand: every site matching the filters (kind 'site'). With brands: documented
    links (kind 'documented') and inferred exposure (kind 'inferred') as separate rows, never
    merged. min_risk keeps rows whose score on the chosen dimension is at least that; rows with
    an unknown score are left out and counted (unknown is not low, and not high either). Rows
    are fetched only by the part that needs them (see riskatlas.view.View).
    """
    return View.open(state, connection.query, connection.fetch)


# --- Contributions: reviewed evidence from advocates and unions, never a published source ----

CONTRIBUTED = "contributed"


@dataclass
class Contributed:
    """Approved contributions for a view, and why none could be read (None if all went well)."""

    frame: pd.DataFrame
    problem: str | None = None


def contributions_version() -> str:
    """Identity of the contributions file now (a review changes it): a cache key."""
    path = paths.contributions_db_path()
    parts = [str(path)]
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st_ = p.stat()
            parts.append(f"{st_.st_mtime_ns}:{st_.st_size}")
        except OSError:
            parts.append("absent")
    return "|".join(parts)


@st.cache_data(max_entries=4, show_spinner=False)
def _approved(version: str) -> pd.DataFrame:
    from riskatlas.contrib import approved_contributions

    return approved_contributions()


def _empty_contributions() -> pd.DataFrame:
    from riskatlas.contrib.store import COLUMNS

    return pd.DataFrame(columns=[*COLUMNS, "site_key", "label"])


def approved() -> Contributed:
    """Every approved contribution; a missing contributions database simply holds none, and an
    unreadable one is reported, never a crash of the page."""
    from riskatlas.contrib.store import StoreError

    try:
        return Contributed(_approved(contributions_version()).copy())
    except (StoreError, duckdb.Error, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Contributed(_empty_contributions(), f"Contributed evidence cannot be read: {first}")


def contributions(state: FilterState, view_site_ids: set[str] | None = None) -> Contributed:
    """Approved contributions matching the view (riskatlas.map_deck.contributions_in_view: its
    tier, country and mineral filters; its sites when a brand, a year, a finding or a province
    is chosen), and why none could be read."""
    got = approved()
    return Contributed(contributions_in_view(got.frame, state, view_site_ids), got.problem)


def contributions_export_frame(contrib: pd.DataFrame) -> pd.DataFrame:
    """Contributed rows in the shape of the Map's export (kind 'contributed', cited to the
    contribution and its evidence address, never to a published source), each carrying
    EXPORT_NOTE so the file itself says it includes contributed evidence."""
    from riskatlas.contrib.export import EXPORT_NOTE, for_export

    c = for_export(contrib)
    return pd.DataFrame(
        {
            "site_id": c["site_key"],
            "name": c["site_name"],
            "tier": c["tier"],
            "kind": CONTRIBUTED,
            "lat": pd.to_numeric(c["lat"], errors="coerce"),
            "lon": pd.to_numeric(c["lon"], errors="coerce"),
            "geo_precision": c["geo_precision"],
            "geo_note": c["geo_note"],
            "country_iso3": c["country_iso3"],
            "minerals": c["minerals"],
            "source_id": CONTRIBUTED,
            "source_ref": [f"contrib:{i}" for i in c["contribution_id"]],
            "site_source_id": CONTRIBUTED,
            "site_source_ref": c["site_id"],
            "explanation": c["description"],
            "event_date": c["event_date"].astype(str),
            "evidence_url": c["evidence_url"],
            "contributor": c["contributor"],
            "reviewed_by": c["reviewed_by"],
            "reviewed_at": c["reviewed_at"].astype(str),
            "export_note": EXPORT_NOTE,
        }
    )


def with_contributions(frame: pd.DataFrame, contrib: pd.DataFrame) -> pd.DataFrame:
    """The view's rows followed by the contributed rows (only when the user asks for them)."""
    if contrib.empty:
        return frame
    extra = contributions_export_frame(contrib)
    return pd.concat([frame, extra], ignore_index=True)
