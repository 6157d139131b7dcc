"""Server-side aggregation of large filtered sets to H3 cells, so a map never gets too many points."""

from __future__ import annotations

import pandas as pd

from riskatlas.layers import TIER_LABELS, esc, risk_rgb

MAX_POINTS = 50_000
MAX_CELLS = 20_000


def needs_aggregation(n_points: int, limit: int = MAX_POINTS) -> bool:
    """Above ``limit`` points the map shows H3 cells instead of points."""
    return n_points > limit


def h3_cells(df: pd.DataFrame, dimension: str, max_cells: int = MAX_CELLS) -> pd.DataFrame:
    """One row per H3 cell precomputed at build (sites.h3_r5, else the coarser h3_r3).

    Columns: hex, n, n_unknown, top (highest known score), fill, and the escaped tooltip fields
    the site tooltip uses (name, tier, kind, minerals, country, risk, precision, source). A cell
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
    work = work.dropna(subset=["hex"])
    grouped = work.groupby("hex", sort=True)
    cells = pd.DataFrame(
        {
            "n": grouped.size(),
            "n_unknown": grouped["score"].apply(lambda s: int(s.isna().sum())),
            "top": grouped["score"].max(),
            "tiers": grouped["tier"].apply(lambda s: s.value_counts().to_dict()),
            "sources": grouped["source_id"].apply(lambda s: sorted(set(s.dropna()))),
            "countries": grouped["country_iso3"].apply(lambda s: sorted(set(s.dropna()))),
        }
    ).reset_index()
    res = res_col[-1]
    out = []
    for row in cells.itertuples(index=False):
        known = row.n - row.n_unknown
        out.append(
            {
                "hex": row.hex,
                "n": int(row.n),
                "n_unknown": int(row.n_unknown),
                "top": None if pd.isna(row.top) else float(row.top),
                "fill": [*risk_rgb(row.top), 200],
                "name": esc(f"{row.n} sites in this cell"),
                "tier": esc(", ".join(f"{TIER_LABELS.get(t, t)}: {c}" for t, c in row.tiers.items())),
                "kind": "aggregated",
                "minerals": "",
                "country": esc(", ".join(row.countries)),
                "risk": esc(
                    f"highest {dimension} {row.top:.0f}/100 among {known} with evidence; "
                    f"{row.n_unknown} unknown"
                    if known
                    else f"{dimension} unknown for all {row.n}"
                ),
                "precision": esc(f"aggregated to H3 resolution {res}; filter to see points"),
                "source": esc(", ".join(row.sources)),
            }
        )
    return pd.DataFrame(out)
