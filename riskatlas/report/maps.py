"""Static maps for reports, drawn offline with matplotlib on the Natural Earth outlines."""

from __future__ import annotations

import base64
import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from riskatlas import sql  # noqa: E402

PRECISION_SIZE = {"exact": 14, "city": 22, "province": 40, "country": 70}


def _outlines(con) -> list:
    rows = sql.execute(con, "country_outlines").fetchall()
    return [(iso, shape(json.loads(g))) for iso, g in rows if g]


def _draw_outlines(ax, outlines, highlight: set[str] | None = None) -> None:
    for iso, geom in outlines:
        polys = getattr(geom, "geoms", [geom])
        for p in polys:
            if p.geom_type != "Polygon":
                continue
            x, y = p.exterior.xy
            face = "#f2c14e" if highlight and iso in highlight else "#eeeeee"
            ax.fill(x, y, facecolor=face, edgecolor="#999999", linewidth=0.3)


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def documented_map(con, sites: pd.DataFrame, title: str) -> str:
    """Documented sites as points; approximate locations are hollow and larger."""
    fig, ax = plt.subplots(figsize=(9, 4.6))
    _draw_outlines(ax, _outlines(con))
    located = sites.dropna(subset=["lat", "lon"])
    for precision, size in PRECISION_SIZE.items():
        part = located[located["geo_precision"] == precision]
        if part.empty:
            continue
        exact = precision == "exact"
        ax.scatter(
            part["lon"],
            part["lat"],
            s=size,
            facecolors="#c0392b" if exact else "none",
            edgecolors="#c0392b",
            linewidths=0.8,
            label=f"{precision} location ({len(part)})",
            zorder=3,
        )
    _finish(ax, title)
    return _png(fig)


def inferred_map(con, sites: pd.DataFrame, title: str) -> str:
    """Inferred source regions: the countries shaded, the candidate sites as faded points."""
    fig, ax = plt.subplots(figsize=(9, 4.6))
    countries = set(sites["country_iso3"].dropna())
    _draw_outlines(ax, _outlines(con), highlight=countries)
    located = sites.dropna(subset=["lat", "lon"]).drop_duplicates("site_id")
    if not located.empty:
        ax.scatter(
            located["lon"],
            located["lat"],
            s=10,
            facecolors="none",
            edgecolors="#555555",
            linewidths=0.6,
            alpha=0.7,
            label=f"inferred candidate sites ({len(located)})",
            zorder=3,
        )
    _finish(ax, title)
    return _png(fig)


def _finish(ax, title: str) -> None:
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10, parse_math=False)  # "$" in a name is text
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", fontsize=7, frameon=True)
