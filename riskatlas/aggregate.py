"""Server-side aggregation of large filtered sets to H3 cells, so a map never gets too many points."""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskatlas.layers import TIER_LABELS, esc, risk_rgb_array, tooltip_tip

MAX_POINTS = 20_000  # ~300 bytes a point as compact JSON: a 6 MB map at most (bench)
MAX_CELLS = 8_000  # ~210 bytes a cell + ~280 kB of outlines: stays under 2 MB (bench)
CELL_COLUMNS = ["hex", "n", "n_unknown", "top", "fill", "name", "tip"]


def needs_aggregation(n_points: int, limit: int = MAX_POINTS) -> bool:
    """Above ``limit`` points the map shows H3 cells instead of points."""
    return n_points > limit


def resolution(n_r5_cells: int, max_cells: int = MAX_CELLS) -> int:
    """H3 resolution of the cells: 5 (~250 km²) unless that gives more than ``max_cells`` cells,
    then 3 (~12,000 km²)."""
    return 5 if n_r5_cells <= max_cells else 3


def h3_cells(df: pd.DataFrame, dimension: str, max_cells: int = MAX_CELLS) -> pd.DataFrame:
    """Cells of a frame of sites (sites.h3_r5, or h3_r3 above ``max_cells`` cells), built in pandas.

    The Map aggregates in DuckDB (queries/view_cells.sql); this is the same per-cell summary for
    a frame already in memory (tests, the report), so both go through cell_records.
    """
    if df.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    res = resolution(df["h3_r5"].nunique(), max_cells)
    work = df.rename(columns={f"h3_r{res}": "hex", dimension: "score"}).dropna(subset=["hex"])
    grouped = work.groupby("hex", sort=True)
    cells = grouped.agg(n=("tier", "size"), top=("score", "max"), known=("score", "count"))
    cells["n_unknown"] = cells["n"] - cells["known"]
    per_tier = work.groupby(["hex", "tier"]).size()
    cells["tiers"] = [
        [{"tier": t, "n": int(n)} for (_, t), n in per_tier.loc[[h]].items()] for h in cells.index
    ]
    for col, out in (("country_iso3", "countries"), ("source_id", "sources")):
        pairs = work[["hex", col]].dropna().drop_duplicates().sort_values(["hex", col])
        cells[out] = pairs.groupby("hex")[col].agg(", ".join).reindex(cells.index).fillna("")
    return cell_records(cells.rename_axis("hex").reset_index(), dimension, res)


def cell_records(cells: pd.DataFrame, dimension: str, res: int) -> pd.DataFrame:
    """Fill colour and tooltip of every cell from its counts (columns of view_cells.sql).

    A cell whose sites all lack evidence is grey: unknown never counts as low. The tooltip is
    plain text in the sites' shape (Streamlit escapes it in the browser).
    """
    if cells.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    top = pd.to_numeric(cells["top"], errors="coerce").to_numpy(dtype=float)
    rgb = risk_rgb_array(top)
    fill = np.column_stack([rgb, np.full(len(cells), 200)]).tolist()
    records = []
    for i, row in enumerate(cells.itertuples(index=False)):
        n, n_unknown = int(row.n), int(row.n_unknown)
        known = n - n_unknown
        risk = (
            f"highest {dimension} {top[i]:.0f}/100 among {known} with evidence; {n_unknown} unknown"
            if known
            else f"{dimension} unknown for all {n}"
        )
        tiers = ", ".join(
            f"{TIER_LABELS.get(t['tier'], t['tier'])}: {int(t['n'])}" for t in _list(row.tiers)
        )
        name = f"{n} sites in this cell"
        records.append(
            {
                "hex": row.hex,
                "n": n,
                "n_unknown": n_unknown,
                "top": None if np.isnan(top[i]) else float(top[i]),
                "fill": fill[i],
                "name": esc(name),
                "tip": f"{name}\n"
                + tooltip_tip(
                    tiers,
                    "aggregated",
                    "",
                    esc(row.countries),
                    risk,
                    f"aggregated to H3 resolution {res}; filter to see points",
                    esc(row.sources),
                ),
            }
        )
    return pd.DataFrame(records, columns=CELL_COLUMNS)


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
