"""The weights an atlas was scored with, against the weights file as it is now.

Why: scores are computed by the build, from the weights file it read then (recorded in the
atlas as ``risk_weights``, and the file's name and sha256 in ``build_info``). Editing
weights.toml changes nothing until the next build, so the Sources page shows the recorded
weights (what the scores rest on) and, where the file now says something else, which weights
differ and that a rebuild applies them.
"""

from __future__ import annotations

import pandas as pd

KEY = ["tier", "dimension", "indicator"]
CHANGE_COLUMNS = [*KEY, "label", "in_atlas", "in_file"]


def weight_changes(built: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Every (tier, dimension, indicator) whose weight differs between the atlas (``built``,
    the risk_weights table) and the file (``current``, riskatlas.risk.weights_table()); a
    weight only one side has is a change too (its other side empty)."""
    b = built[[*KEY, "weight", "label"]].rename(columns={"weight": "in_atlas"})
    c = current[[*KEY, "weight", "label"]].rename(columns={"weight": "in_file", "label": "_l"})
    both = b.merge(c, on=KEY, how="outer")
    both["label"] = both["label"].fillna(both["_l"])
    same = both["in_atlas"].notna() & both["in_file"].notna()
    same &= (both["in_atlas"].astype(float) - both["in_file"].astype(float)).abs() < 1e-12
    out = both.loc[~same, CHANGE_COLUMNS].sort_values(KEY)
    return out.reset_index(drop=True)


def changes_sentence(changes: pd.DataFrame, file_name: str) -> str:
    """One sentence for the page: how many weights the file changes since the build."""
    n = len(changes)
    return (
        f"{file_name} has changed since this atlas was built: {n} weight"
        f"{'' if n == 1 else 's'} differ{'s' if n == 1 else ''} from the ones the scores rest on "
        "(below). The scores change only at the next build (`riskatlas build`)."
    )
