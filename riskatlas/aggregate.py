"""Server-side aggregation of large filtered sets to H3 cells, so a map never gets too many points.

Why the cells are drawn as circles with a minimum size in pixels: a view of a brand or a mineral
spans continents, so the map opens at a world zoom where a resolution-5 hexagon (about 20 km
across) is smaller than a pixel. Readers saw country outlines and no sites. The resolution is
picked from the zoom the view opens at, and every cell keeps at least MIN_RADIUS_PX on screen.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from riskatlas import settings
from riskatlas.layers import esc, risk_rgb_array

# The map's payload stays under 2 MB whatever the atlas's size (bench/RESULTS.md): a point
# carries its tooltip (~350 bytes), a cell ~220 bytes, the country outlines ~280 kB.
MAX_POINTS = settings.MAX_POINTS.value
MAX_CELLS = settings.MAX_CELLS.value
RESOLUTIONS = (5, 3, 2)  # ~250 km², ~12,000 km², ~87,000 km² a cell
CELL_COLUMNS = ["hex", "lon", "lat", "n", "n_unknown", "fill", "tip"]
# A cell is drawn as a circle of its hexagon's size, never smaller than this on screen (pixels).
MIN_RADIUS_PX = 4
# The finest resolution whose cells are at least this wide (pixels) at the zoom the map opens
# at: finer cells would pile up under one circle at the minimum size.
MIN_CELL_PX = 2.5
EDGE_KM = {5: 9.854, 3: 68.979, 2: 182.513}  # h3.average_hexagon_edge_length(res, "km")
EARTH_KM = 40_075.0
ONLY_INFERRED_ALPHA = 110  # a cell holding inferred sites only is faded, like inferred points


def needs_aggregation(n_points: int, limit: int | None = None) -> bool:
    """Above ``limit`` (MAX_POINTS) located rows the map shows H3 cells instead of points."""
    return n_points > (MAX_POINTS if limit is None else limit)


def cell_pixels(res: int, zoom: float, lat: float = 0.0) -> float:
    """How wide (pixels) a cell of resolution ``res`` is drawn at ``zoom`` near latitude ``lat``
    (deck.gl's web Mercator: the world is 512 * 2**zoom pixels wide)."""
    km_per_px = EARTH_KM * max(math.cos(math.radians(lat)), 0.05) / (512 * 2**zoom)
    return 2 * EDGE_KM[res] / km_per_px


def resolution(
    n_r5: int,
    n_r3: int,
    max_cells: int = MAX_CELLS,
    zoom: float | None = None,
    lat: float = 0.0,
) -> int:
    """The finest H3 resolution (5, 3, else 2) that gives at most ``max_cells`` cells and, when
    the opening ``zoom`` is known, cells at least MIN_CELL_PX wide on screen; resolution 2 has
    5,882 cells on the whole globe, so it always fits."""

    def visible(res: int) -> bool:
        return zoom is None or cell_pixels(res, zoom, lat) >= MIN_CELL_PX

    if n_r5 <= max_cells and visible(5):
        return 5
    return 3 if n_r3 <= max_cells and visible(3) else 2


def cell_records(cells: pd.DataFrame, dimension: str, res: int) -> pd.DataFrame:
    """Fill colour and tooltip of every cell from its counts (columns of view_cells.sql).

    A cell whose sites all lack evidence is grey: unknown never counts as low. In a brand view
    the documented and inferred sites of a cell are counted apart: the colour is the highest
    documented score where the cell has documented sites, and a cell with inferred sites only
    is faded, so an inference is never drawn as a listing. Tooltips are plain text (Streamlit
    escapes them in the browser), built column-wise: thousands of cells per filter change.
    """
    if cells.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    cells = cells.sort_values("top", na_position="first", kind="stable")  # riskiest drawn last
    n = cells["n"].astype(int)
    n_unknown = cells["n_unknown"].astype(int)
    n_doc = cells["n_documented"].fillna(0).astype(int)
    n_inf = cells["n_inferred"].fillna(0).astype(int)
    top = pd.to_numeric(cells["top"], errors="coerce")
    top_doc = pd.to_numeric(cells["top_documented"], errors="coerce")
    colour_by = top_doc.where(n_doc > 0, top).to_numpy(dtype=float)
    alpha = np.where((n_inf > 0) & (n_doc == 0), ONLY_INFERRED_ALPHA, 200)
    fill = np.column_stack([risk_rgb_array(colour_by), alpha]).tolist()
    branded = (n_doc > 0) | (n_inf > 0)
    known = (n - n_unknown).astype(str)
    plain_risk = (
        "Risk: highest " + dimension + " " + _score(top) + "/100 among " + known + " with evidence"
    ).where(top.notna(), f"Risk: {dimension} unknown")
    risk = plain_risk.where(
        ~branded,
        _kind_line("Documented (the brand lists them)", n_doc, top_doc, dimension)
        + "\n"
        + _kind_line(
            "Inferred (no disclosure names them)",
            n_inf,
            pd.to_numeric(cells["top_inferred"], errors="coerce"),
            dimension,
        ),
    )
    tips = (
        n.astype(str)
        + f" sites aggregated in this H3 cell (resolution {res})\n"
        + cells["tiers"].fillna("").map(esc)
        + "\n"
        + risk
        + "\n"
        + f"{dimension.capitalize()} unknown (no evidence): "
        + n_unknown.astype(str)
        + "\n"
        + "Country: "
        + cells["countries"].fillna("").map(esc)
        + "\n"
        + "Source: "
        + cells["sources"].fillna("").map(esc)
    )
    centre = centres(cells)
    return pd.DataFrame(
        {
            "hex": cells["hex"].to_numpy(),
            "lon": centre["lon"].round(4).to_numpy(),
            "lat": centre["lat"].round(4).to_numpy(),
            "n": n.to_numpy(),
            "n_unknown": n_unknown.to_numpy(),
            "fill": fill,
            "tip": tips.to_numpy(),
        },
        columns=CELL_COLUMNS,
    )


def _score(values: pd.Series) -> pd.Series:
    """Scores as whole numbers of text ('' where unknown), rounded like f'{x:.0f}'."""
    return values.round(0).astype("Int64").astype(str).replace("<NA>", "")


def _kind_line(label: str, n: pd.Series, top: pd.Series, dimension: str) -> pd.Series:
    """'<label>: n, highest <dimension> s/100' per cell; 'none' or 'unknown' said as such."""
    text = f"{label}: " + n.astype(str)
    line = (text + f", highest {dimension} " + _score(top) + "/100").where(
        top.notna(), text + f", {dimension} unknown"
    )
    return line.where(n > 0, f"{label}: none")


def centres(cells: pd.DataFrame) -> pd.DataFrame:
    """lat/lon of every cell's centre: where its circle is drawn."""
    import h3

    points = [h3.cell_to_latlng(h) for h in cells["hex"]]
    return pd.DataFrame(points, columns=["lat", "lon"])
