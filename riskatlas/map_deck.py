"""One step from a view of the atlas to what the Map draws: the finished deck and its legend.

Why one step: the route from a filter state to the drawn map went back and forth between the
page, the UI's data helpers, the view, the aggregation, the layers and the contributions
layer. Here, in order: the land (countries told apart by shade; the ocean is the chart's
background, not a layer); points when the located rows fit under the point limit, else H3
cells framed on the rows' extent; documented conflicts under the sites; approved contributions
on top, as their own layer, never merged into the sites or the cells; and the counts the
legend shows. riskatlas.ui.map_view caches the result per view
and only lays it out (widgets, st.pydeck_chart, the legend).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from riskatlas import aggregate, conflicts_layer
from riskatlas.aggregate import needs_aggregation
from riskatlas.basemap import land_layer
from riskatlas.citations import with_report_citations
from riskatlas.contrib.layer import contributions_layer
from riskatlas.filters import FilterState
from riskatlas.layers import deck, h3_layer, site_layers, view_for, view_for_extent
from riskatlas.view import View


@dataclass(frozen=True)
class Legend:
    """What the legend beside the map counts: rows per tier and kind (View.tier_counts), rows of
    unknown risk, the dimension, whether cells are shown, and the contributions drawn (None when
    that layer is hidden)."""

    tier_counts: pd.DataFrame
    n_unknown: int
    dimension: str
    aggregated: bool
    n_contributed: int | None = None
    conflicts: bool = False
    n_conflicts: int = 0  # cases the conflicts layer draws (0 when hidden)
    conflicts_scope: str = ""  # which cases, in the legend's words


@dataclass(frozen=True)
class MapDeck:
    """A finished deck (pydeck's JSON and tooltip) and its legend."""

    spec: str
    tooltip: dict
    legend: Legend

    @property
    def aggregated(self) -> bool:
        return self.legend.aggregated


def needs_site_ids(state: FilterState) -> bool:
    """A brand, a year, a finding or a province narrows contributions to the view's sites (a
    contribution has no brand, brand-list year or site-visit finding of its own)."""
    return bool(state.brands or state.year is not None or state.findings or state.provinces)


def view_site_ids(view: View) -> set[str]:
    """Sites in the view, for the contributions filter (needed only with a brand or a year)."""
    if not needs_site_ids(view.state) or view.empty:
        return set()
    return view.site_ids()


def contributions_in_view(
    approved: pd.DataFrame, state: FilterState, site_ids: set[str] | None = None
) -> pd.DataFrame:
    """Approved contributions matching the view's tier, country and mineral filters.

    With a brand, a year, a finding or a province chosen, only contributions about a site in the
    view (``site_ids``) are kept. Risk filters do not apply: contributed evidence is never scored.
    """
    df = approved
    if df.empty:
        return df
    keep = pd.Series(True, index=df.index)
    if state.tiers:
        keep &= df["tier"].isin(state.tiers)
    if state.countries:
        keep &= df["country_iso3"].isin(state.countries)
    if state.minerals:
        wanted = set(state.minerals)
        keep &= df["minerals"].map(lambda m: bool(wanted & set(m or [])))
    if needs_site_ids(state):
        keep &= df["site_key"].isin(site_ids or set())
    return df[keep].reset_index(drop=True)


def contributed_layer(contrib: pd.DataFrame) -> pdk.Layer:
    """Approved contributions as their own layer, in the atlas map's tooltip shape.

    The atlas deck's tooltip template is name + tip; each point gets a ``tip`` made of the
    contribution layer's fields, as plain text (Streamlit escapes tooltip values).
    """
    layer, _ = contributions_layer(contrib)
    for rec in layer.data:
        rec["tip"] = "\n".join(
            [
                rec["name"],
                f"{rec['tier']} · {rec['kind']}",
                f"What happened ({rec['when']}): {rec['what']}",
                rec["source"],  # contributed by whom, when, who approved it, the evidence
                f"Location: {rec['precision']}",
                f"Risk: {rec['risk']}",
            ]
        )
    return layer


def build_deck(
    view: View,
    max_points: int | None = None,
    contributed: pd.DataFrame | None = None,
    conflicts: bool = False,
) -> tuple[pdk.Deck, bool, int]:
    """The deck for a view, whether it was aggregated to H3 cells and the conflicts drawn.

    Under ``max_points`` located rows the points are drawn (one layer per tier and kind); above
    it DuckDB aggregates them to H3 cells and only the cells are sent. ``contributed`` (approved
    contributions in the view) is drawn on top as its own layer, never merged into the sites or
    the cells; ``conflicts`` adds the view's documented conflicts under the sites' layers
    (riskatlas.conflicts_layer: every case in the countries, or only the view's own).
    """
    dimension = view.state.dimension
    shapes = view.run("country_shapes", {}, {})
    # countries told apart by shade (basemap.land_layer): no line program to compile; the
    # ocean is the chart's background (riskatlas.ui.common.ocean_background), not a layer
    base = [land_layer(shapes)]
    aggregated = needs_aggregation(view.n_located, max_points)
    if aggregated:  # framed on the rows' extent, so the cell size can suit the opening zoom
        framing = view_for_extent(*view.extent())
        res = aggregate.resolution(
            view.n_r5_cells, view.n_r3_cells, zoom=framing["zoom"], lat=framing["lat"]
        )
        cells = aggregate.cell_records(view.cells(res), dimension, res)
        layers = [*base, h3_layer(cells, res)]
    else:
        points = with_report_citations(view.points(), view.run).rename(
            columns={"score": dimension, "coverage": f"{dimension}_coverage"}
        )
        layers = [*base, *site_layers(points, dimension)]
        framing = view_for(points)
    if contributed is not None and not contributed.empty:
        layers.append(contributed_layer(contributed))
    n_conflicts = 0
    if conflicts:  # documented conflicts (EJAtlas): their own layer under the sites' layers
        case_layers, n_conflicts = conflicts_layer.layers(view)
        layers[len(base) : len(base)] = case_layers
    return deck(layers, **framing), aggregated, n_conflicts


def map_deck(
    view: View,
    max_points: int | None = None,
    approved: pd.DataFrame | None = None,
    conflicts: bool = False,
    offload: Callable[[list], None] | None = None,
) -> MapDeck:
    """The Map of a view, ready to draw: the deck (points or cells, conflicts, contributions) and
    the legend's counts. ``approved``: every approved contribution (riskatlas.contrib), or None
    when the contributions layer is hidden; only those in the view are drawn and counted.
    ``offload`` may move the layers' large data to served files before the deck is serialised
    (riskatlas.ui.static_files.offload_layers)."""
    contributed = None
    if approved is not None:
        contributed = contributions_in_view(approved, view.state, view_site_ids(view))
    the_deck, aggregated, n_conflicts = build_deck(view, max_points, contributed, conflicts)
    legend = Legend(
        view.tier_counts(),
        view.n_unknown,
        view.state.dimension,
        aggregated,
        None if contributed is None else len(contributed),
        conflicts,
        n_conflicts,
        conflicts_layer.scope(view.state) if conflicts else "",
    )
    if offload is not None:
        offload(the_deck.layers)
    return MapDeck(the_deck.to_json(), the_deck._tooltip, legend)
