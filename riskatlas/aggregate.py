"""Server-side aggregation of large filtered sets to H3 cells, so a map never gets too many points."""

from __future__ import annotations

import pandas as pd

from riskatlas.layers import TIER_LABELS, esc, risk_rgb, tooltip_tip

MAX_POINTS = 50_000
MAX_CELLS = 8_000  # ~210 bytes a cell + ~280 kB of outlines: stays under 2 MB (bench)


def needs_aggregation(n_points: int, limit: int = MAX_POINTS) -> bool:
    """Above ``limit`` points the map shows H3 cells instead of points."""
    return n_points > limit


def h3_cells(df: pd.DataFrame, dimension: str, max_cells: int = MAX_CELLS) -> pd.DataFrame:
    """One row per H3 cell precomputed at build (sites.h3_r5, else the coarser h3_r3).

    Columns: hex, n, n_unknown, top (highest known score), fill, and the escaped tooltip fields
    the site tooltip uses (name, tip). A cell
    whose sites all lack evidence is grey: unknown never counts as low.
    """
    if df.empty:
        return pd.DataFrame(columns=["hex", "n", "n_unknown", "top", "fill"])
    res_col = "h3_r5"
    if df["h3_r5"].nunique() > max_cells:
        res_col = "h3_r3"
    work = df[[res_col, "tier", dimension, "source_id", "country_iso3"]].rename(
        columns={res_col: "hex", dimension: "score"}
    )
    work = work.dropna(subset=["hex"]).assign(unknown=lambda w: w["score"].isna())
    grouped = work.groupby("hex", sort=True)
    cells = grouped.agg(n=("tier", "size"), n_unknown=("unknown", "sum"), top=("score", "max"))
    cells["sources"] = _joined(work, "source_id").reindex(cells.index).fillna("")
    cells["countries"] = _joined(work, "country_iso3").reindex(cells.index).fillna("")
    tiers = pd.crosstab(work["hex"], work["tier"]).reindex(cells.index, fill_value=0)
    text = pd.Series("", index=cells.index)
    for tier in tiers.columns:
        counts = tiers[tier]
        part = (TIER_LABELS.get(tier, tier) + ": " + counts.astype(str)).where(counts > 0, "")
        text = text.str.cat(part, sep=", ").str.strip(", ")
    cells["tiers"] = text
    cells = cells.rename_axis("hex").reset_index()
    res = res_col[-1]
    out = []
    for row in cells.itertuples(index=False):
        known = row.n - row.n_unknown
        risk = (
            f"highest {dimension} {row.top:.0f}/100 among {known} with evidence; "
            f"{row.n_unknown} unknown"
            if known
            else f"{dimension} unknown for all {row.n}"
        )
        out.append(
            {
                "hex": row.hex,
                "n": int(row.n),
                "n_unknown": int(row.n_unknown),
                "top": None if pd.isna(row.top) else float(row.top),
                "fill": [*risk_rgb(row.top), 200],
                "name": esc(f"{row.n} sites in this cell"),
                "tip": f"{row.n} sites in this cell\n"
                + tooltip_tip(
                    row.tiers,
                    "aggregated",
                    "",
                    row.countries,
                    risk,
                    f"aggregated to H3 resolution {res}; filter to see points",
                    row.sources,
                ),
            }
        )
    return pd.DataFrame(out)


def _joined(work: pd.DataFrame, col: str) -> pd.Series:
    """Distinct values of a column per cell, sorted and comma-joined."""
    pairs = work[["hex", col]].dropna().drop_duplicates().sort_values(["hex", col])
    return pairs.groupby("hex")[col].agg(", ".join)
