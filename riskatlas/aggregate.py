"""Server-side aggregation of large filtered sets to H3 cells, so a map never gets too many points."""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskatlas.layers import TIER_LABELS, esc, risk_rgb_array

# The map's payload stays under 2 MB whatever the atlas's size (bench/RESULTS.md): a point
# carries its tooltip (~350 bytes), a cell ~220 bytes, the country outlines ~280 kB.
MAX_POINTS = 4_000
MAX_CELLS = 6_000
RESOLUTIONS = (5, 3, 2)  # ~250 km², ~12,000 km², ~87,000 km² a cell
CELL_COLUMNS = ["hex", "n", "n_unknown", "fill", "tip"]
ONLY_INFERRED_ALPHA = 110  # a cell holding inferred sites only is faded, like inferred points


def needs_aggregation(n_points: int, limit: int | None = None) -> bool:
    """Above ``limit`` (MAX_POINTS) located rows the map shows H3 cells instead of points."""
    return n_points > (MAX_POINTS if limit is None else limit)


def resolution(n_r5: int, n_r3: int, max_cells: int = MAX_CELLS) -> int:
    """The finest H3 resolution (5, 3, else 2) that gives at most ``max_cells`` cells; resolution
    2 has 5,882 cells on the whole globe, so it always fits."""
    if n_r5 <= max_cells:
        return 5
    return 3 if n_r3 <= max_cells else 2


def cell_records(cells: pd.DataFrame, dimension: str, res: int) -> pd.DataFrame:
    """Fill colour and tooltip of every cell from its counts (columns of view_cells.sql).

    A cell whose sites all lack evidence is grey: unknown never counts as low. In a brand view
    the documented and inferred sites of a cell are counted apart: the colour is the highest
    documented score where the cell has documented sites, and a cell with inferred sites only
    is faded, so an inference is never drawn as a listing. Tooltips are plain text (Streamlit
    escapes them in the browser).
    """
    if cells.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    n_doc = cells["n_documented"].fillna(0).astype(int).to_numpy()
    n_inf = cells["n_inferred"].fillna(0).astype(int).to_numpy()
    top = pd.to_numeric(cells["top"], errors="coerce").to_numpy(dtype=float)
    top_doc = pd.to_numeric(cells["top_documented"], errors="coerce").to_numpy(dtype=float)
    colour_by = np.where(n_doc > 0, top_doc, top)
    alpha = np.where((n_inf > 0) & (n_doc == 0), ONLY_INFERRED_ALPHA, 200)
    fill = np.column_stack([risk_rgb_array(colour_by), alpha]).tolist()
    tips = []
    for row in cells.itertuples(index=False):
        n, n_unknown = int(row.n), int(row.n_unknown)
        lines = [f"{n} sites aggregated in this H3 cell (resolution {res})"]
        lines.append(
            ", ".join(
                f"{TIER_LABELS.get(t['tier'], t['tier'])}: {int(t['n'])}" for t in _list(row.tiers)
            )
        )
        if row.n_documented or row.n_inferred:
            lines.append(
                _kind_line(
                    "Documented (the brand lists them)",
                    row.n_documented,
                    row.top_documented,
                    dimension,
                )
            )
            lines.append(
                _kind_line(
                    "Inferred (no disclosure names them)",
                    row.n_inferred,
                    row.top_inferred,
                    dimension,
                )
            )
        else:
            lines.append(f"Risk: {_highest(row.top, n - n_unknown, dimension)}")
        lines.append(f"{dimension.capitalize()} unknown (no evidence): {n_unknown}")
        lines.append(f"Country: {esc(row.countries)}")
        lines.append(f"Source: {esc(row.sources)}")
        tips.append("\n".join(lines))
    return pd.DataFrame(
        {
            "hex": cells["hex"].to_numpy(),
            "n": cells["n"].astype(int).to_numpy(),
            "n_unknown": cells["n_unknown"].astype(int).to_numpy(),
            "fill": fill,
            "tip": tips,
        },
        columns=CELL_COLUMNS,
    )


def _highest(top, known: int, dimension: str) -> str:
    if known <= 0 or top is None or pd.isna(top):
        return f"{dimension} unknown"
    return f"highest {dimension} {float(top):.0f}/100 among {known} with evidence"


def _kind_line(label: str, n, top, dimension: str) -> str:
    n = 0 if n is None or pd.isna(n) else int(n)
    if not n:
        return f"{label}: none"
    if top is None or pd.isna(top):
        return f"{label}: {n}, {dimension} unknown"
    return f"{label}: {n}, highest {dimension} {float(top):.0f}/100"


def _list(value) -> list:
    """A list column as DuckDB or pandas hands it over (list, numpy array or missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return list(value)


def centres(cells: pd.DataFrame) -> pd.DataFrame:
    """lat/lon of every cell's centre, to frame the map's view on the cells."""
    import h3

    points = [h3.cell_to_latlng(h) for h in cells["hex"]]
    return pd.DataFrame(points, columns=["lat", "lon"])
