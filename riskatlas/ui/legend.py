"""The map legend: risk scale, unknown, approximate locations, documented vs inferred, tiers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskatlas.layers import (
    TIER_LABELS,
    TIERS,
    UNKNOWN_RGB,
    VIRIDIS,
)


def _rgb(c) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


def legend_html(
    tier_counts: pd.DataFrame, n_unknown: int, dimension: str, aggregated: bool = False
) -> str:
    """Static legend markup; only numbers and fixed labels, never data text.

    ``tier_counts`` has tier, kind, n and n_approx (View.tier_counts). ``aggregated``: the map
    shows H3 cells, so the shapes are explained as cells rather than dots and rings.
    """
    stops = ", ".join(f"{_rgb(c)} {i * 100 // (len(VIRIDIS) - 1)}%" for i, c in enumerate(VIRIDIS))
    grey = _rgb(UNKNOWN_RGB)
    rows = []
    counts = (
        tier_counts.set_index(["tier", "kind"])["n"]
        if not tier_counts.empty
        else pd.Series(dtype=int)
    )
    for tier in TIERS:
        parts = []
        for kind, label in (("documented", "documented"), ("inferred", "inferred"), ("site", "")):
            n = int(counts.get((tier, kind), 0))
            if n:
                parts.append(f"{n:,} {label}".strip())
        if parts:
            rows.append(f"<li>{TIER_LABELS[tier]}: {', '.join(parts)}</li>")
    n_approx = int(tier_counts["n_approx"].sum()) if not tier_counts.empty else 0
    dot = "display:inline-block;width:12px;height:12px;border-radius:50%;vertical-align:middle;"
    cell = dot + "border:1px solid #ddd;"
    inferred = not tier_counts.empty and (tier_counts["kind"] == "inferred").any()
    faded_cells = (
        f"""<div><span style="{cell}background:rgba(33,145,140,0.45)"></span> faded circle:
 <b>inferred</b> sites only; documented and inferred are counted apart in each cell</div>"""
        if inferred
        else ""
    )
    shapes = (
        f"""<div><span style="{cell}background:#21918c"></span> circle: the sites of one
 <b>H3 cell</b> (the cell's size, at least a few pixels), coloured by the highest known score inside
 (grey: all unknown); hover for counts</div>
{faded_cells}
<div>approximate locations (city / province / country level): {n_approx:,}</div>"""
        if aggregated
        else f"""<div><span style="{dot}background:#21918c;border:1px solid #111"></span> filled dot:
 exact coordinates</div>
<div><span style="{dot}border:2px solid #21918c;width:16px;height:16px"></span> hollow ring:
 location approximate (city / province / country level; {n_approx:,})</div>
<div><span style="{dot}background:rgba(33,145,140,0.35);border:1px solid #ddd"></span> faded:
 <b>inferred</b> exposure (no disclosure names the site)</div>
<div><span style="{dot}background:#21918c;border:1px solid #111"></span> solid:
 <b>documented</b> link (the brand lists it) or a site</div>"""
    )
    return f"""
<div style="font-size:0.85rem;line-height:1.5">
<b>{dimension.capitalize()} risk</b> (0–100)
<div style="height:12px;border-radius:3px;background:linear-gradient(to right, {stops})"></div>
<div style="display:flex;justify-content:space-between"><span>0 lower</span><span>100 higher</span></div>
<div><span style="{dot}background:{grey}"></span> grey: <b>unknown</b> — no evidence
 ({n_unknown:,}); not low</div>
{shapes}
<div style="margin-top:4px"><b>Layers (one per tier)</b><ul style="margin:0">{"".join(rows) or "<li>none</li>"}</ul></div>
</div>
"""


def legend(
    tier_counts: pd.DataFrame, n_unknown: int, dimension: str, aggregated: bool = False
) -> None:
    """Draw the legend next to the map."""
    st.markdown(legend_html(tier_counts, n_unknown, dimension, aggregated), unsafe_allow_html=True)
