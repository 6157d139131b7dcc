"""Scores from components: a weighted mean over the evidence that exists, decomposed exactly.

For a site and a dimension, with E = sum of the weights of the components that have evidence:
    contribution_i = 100 * weight_i * value_i / E      score = sum(contribution_i)
    coverage = E / (sum of all weights of the site's tier and dimension)
Missing evidence is in neither sum, so it lowers coverage and never reads as low risk; a site
with no evidence (E = 0) has a NULL score (unknown), never 0. weight_i is the configured weight
times the recency decay of a site finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .components import COLUMNS, build_components
from .config import DIMENSIONS, LEVELS, RiskConfig, load_config, weight_map, weights_table

# contract columns first, then the extras that make a component checkable and explainable
COMPONENT_COLUMNS = [
    "site_id", "dimension", "indicator", "value", "weight", "contribution", "level", "source_id",
    "source_ref", "tier", "raw_value", "base_weight", "decay", "observed",
]
RISK_COLUMNS = [
    "site_id", "labour", "environment", "labour_coverage", "environment_coverage", "tier",
    "labour_levels", "environment_levels", "labour_n", "environment_n",
]


def reweight(components: pd.DataFrame, weights: Any = None) -> pd.DataFrame:
    """Components with weight and contribution under the given weights (a user's or the config's)."""
    wm = weight_map(weights)
    c = components.copy()
    if c.empty:
        for col in ("base_weight", "weight", "contribution"):
            c[col] = pd.Series(dtype=float)
        return c
    keys = list(zip(c["tier"], c["dimension"], c["indicator"], strict=True))
    c["base_weight"] = np.array([wm.get(k, 0.0) for k in keys], dtype=float)
    c["weight"] = c["base_weight"] * c["decay"].astype(float)
    evidence = c.groupby(["site_id", "dimension"], sort=False)["weight"].transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = 100.0 * c["weight"] * c["value"].astype(float) / evidence
    c["contribution"] = contrib.where(evidence > 0)
    return c


def rescore(components: pd.DataFrame, weights: Any = None, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """site_risk from components, without the database: the methodology page re-ranks with it.

    ``sites`` (site_id, tier) adds the sites without any evidence, with NULL scores.
    """
    wm = weight_map(weights)
    total = pd.Series(wm, dtype=float).groupby(level=[0, 1]).sum() if wm else pd.Series(dtype=float)
    c = reweight(components, wm)
    c = c[c["weight"] > 0]
    per = (
        c.groupby(["site_id", "tier", "dimension"], as_index=False)
        .agg(
            score=("contribution", "sum"),
            evidence=("weight", "sum"),
            n=("indicator", "size"),
            levels=("level", lambda s: "+".join(lv for lv in LEVELS if lv in set(s))),
        )
    )
    base = (
        sites[["site_id", "tier"]].drop_duplicates("site_id")
        if sites is not None
        else c[["site_id", "tier"]].drop_duplicates("site_id")
    )
    out = base.reset_index(drop=True).copy()
    for dim in DIMENSIONS:
        d = per[per["dimension"] == dim].set_index("site_id")
        out[dim] = out["site_id"].map(d["score"]).astype(float)
        ev = out["site_id"].map(d["evidence"]).astype(float).fillna(0.0)
        tot = np.array([total.get((t, dim), np.nan) for t in out["tier"]], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            cov = np.where(tot > 0, ev / tot, np.nan)
        out[f"{dim}_coverage"] = np.clip(cov, 0.0, 1.0)
        out[f"{dim}_levels"] = out["site_id"].map(d["levels"])
        out[f"{dim}_n"] = out["site_id"].map(d["n"]).fillna(0).astype(int)
        out.loc[ev <= 0, dim] = np.nan  # no evidence: unknown, never 0
    return out[RISK_COLUMNS].sort_values("site_id").reset_index(drop=True)


def compute_risk(con: duckdb.DuckDBPyConnection, weights: Any = None) -> dict[str, int]:
    """Create risk_components and site_risk (and risk_weights, the config as a table) in ``con``.

    ``weights``: None (weights.toml), a RiskConfig, a path to another TOML, or any mapping or
    frame accepted by :func:`weight_map`.
    """
    if isinstance(weights, RiskConfig):
        cfg = weights
    elif isinstance(weights, str | Path):
        cfg = load_config(weights)
    else:
        cfg = load_config()
    wm = weight_map(cfg if weights is None or isinstance(weights, str | Path) else weights)
    comps = reweight(build_components(con, cfg, wm), wm)
    comps = comps[comps["weight"] > 0]
    sites = con.execute("SELECT site_id, tier FROM sites").df()
    risk = rescore(comps, wm, sites)
    comps = comps.assign(
        contribution=comps["contribution"].astype(float),
        value=comps["value"].astype(float),
    )[COMPONENT_COLUMNS]
    _write(con, "risk_components", comps)
    _write(con, "site_risk", risk)
    wt = weights_table(cfg)
    wt["weight"] = [wm.get(k, 0.0) for k in zip(wt["tier"], wt["dimension"], wt["indicator"], strict=True)]
    _write(con, "risk_weights", wt)
    return {
        "components": len(comps),
        "sites": len(risk),
        "labour_known": int(risk["labour"].notna().sum()),
        "environment_known": int(risk["environment"].notna().sum()),
    }


def _write(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    con.register("_risk_df", df.reset_index(drop=True))
    con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _risk_df')  # noqa: S608 - ours
    con.unregister("_risk_df")


__all__ = ["COLUMNS", "compute_risk", "rescore", "reweight"]
