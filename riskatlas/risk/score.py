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

from riskatlas import schema, sql

from .components import build_components
from .config import DIMENSIONS, LEVELS, RiskConfig, load_config, weight_map, weights_table

# contract columns first, then the extras that make a component checkable and explainable
# (declared in queries/schema_derived.sql)
COMPONENT_COLUMNS = schema.columns("risk_components")
RISK_COLUMNS = schema.columns("site_risk")
EVIDENCE_LEVELS = ("site", "mineral_country", "country", "none")


def _weights_frame(wm: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [(t, d, i, w) for (t, d, i), w in wm.items()],
        columns=["tier", "dimension", "indicator", "base_weight"],
    )


def reweight(components: pd.DataFrame, weights: Any = None) -> pd.DataFrame:
    """Components with weight and contribution under the given weights (a user's or the config's)."""
    wm = weight_map(weights)
    c = components.drop(columns=["base_weight", "weight", "contribution"], errors="ignore")
    c = c.merge(_weights_frame(wm), how="left", on=["tier", "dimension", "indicator"])
    c["base_weight"] = c["base_weight"].fillna(0.0).astype(float)
    c["weight"] = c["base_weight"] * c["decay"].astype(float)
    evidence = c.groupby(["site_id", "dimension"], sort=False)["weight"].transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = 100.0 * c["weight"] * c["value"].astype(float) / evidence
    c["contribution"] = contrib.where(evidence > 0)
    return c


def rescore(
    components: pd.DataFrame, weights: Any = None, sites: pd.DataFrame | None = None
) -> pd.DataFrame:
    """site_risk from components, without the database: re-ranks under other weights in memory
    (scripts and tests; the app shows the scores the build computed).

    ``sites`` (site_id, tier) adds the sites without any evidence, with NULL scores; its
    optional bool column ``site_level`` (see :func:`site_level_sites`) marks sites whose
    evidence_level is 'site' whatever their scored components.
    """
    wm = weight_map(weights)
    return _score(reweight(components, wm), wm, sites)


def _score(c: pd.DataFrame, wm: dict, sites: pd.DataFrame | None) -> pd.DataFrame:
    """site_risk from reweighted components (see the module docstring for the rules)."""
    total = _weights_frame(wm).groupby(["tier", "dimension"])["base_weight"].sum()
    c = c[c["weight"] > 0].copy()
    for lv in LEVELS:
        c[f"_{lv}"] = c["level"] == lv
    per = c.groupby(["site_id", "dimension"], sort=False).agg(
        score=("contribution", "sum"),
        evidence=("weight", "sum"),
        n=("indicator", "size"),
        **{f"_{lv}": (f"_{lv}", "max") for lv in LEVELS},
    )
    # which rungs a score stands on, e.g. 'site+country': one of 8 strings picked by bit code
    flags = per[[f"_{lv}" for lv in LEVELS]].to_numpy(bool)
    code = flags @ (1 << np.arange(len(LEVELS)))
    names = np.array(
        [
            "+".join(lv for i, lv in enumerate(LEVELS) if k >> i & 1)
            for k in range(1 << len(LEVELS))
        ],
        dtype=object,
    )
    per["levels"] = names[code]
    base = (
        sites[["site_id", "tier"]].drop_duplicates("site_id")
        if sites is not None
        else c[["site_id", "tier"]].drop_duplicates("site_id")
    )
    out = base.reset_index(drop=True).copy()
    for dim in DIMENSIONS:
        d = (
            per.xs(dim, level="dimension")
            if dim in per.index.get_level_values(1)
            else per.iloc[0:0]
        )
        d = d.reset_index()
        m = out[["site_id", "tier"]].merge(d, how="left", on="site_id")
        tot = m["tier"].map(total.xs(dim, level="dimension") if len(total) else {}).astype(float)
        ev = m["evidence"].astype(float).fillna(0.0)
        out[dim] = m["score"].astype(float).where(ev > 0)  # no evidence: unknown, never 0
        out[f"{dim}_coverage"] = (ev / tot.where(tot > 0)).clip(0.0, 1.0)
        out[f"{dim}_levels"] = m["levels"].where(ev > 0, None)
        out[f"{dim}_n"] = m["n"].fillna(0).astype(int)
    out["evidence_level"] = evidence_level(out["labour_levels"], out["environment_levels"])
    if sites is not None and "site_level" in sites.columns:  # visited, or a linked conflict
        flagged = set(sites.loc[sites["site_level"].fillna(False).astype(bool), "site_id"])
        out.loc[out["site_id"].isin(flagged), "evidence_level"] = "site"
    return out[RISK_COLUMNS].sort_values("site_id").reset_index(drop=True)


def evidence_level(labour_levels: pd.Series, environment_levels: pd.Series) -> pd.Series:
    """The strongest rung either score of a site stands on: 'site' (a dated finding at the site
    or a documented conflict linked to it), 'mineral_country', 'country', or 'none' (no score).

    Why one word per site: the Map, its table and every export must tell "this plant" from
    "this country" at a glance; the per-dimension levels stay in labour_levels and
    environment_levels.
    """
    both = labour_levels.fillna("") + "+" + environment_levels.fillna("")
    parts = both.str.split("+")
    out = pd.Series("none", index=both.index, dtype=object)
    for level in reversed(EVIDENCE_LEVELS[:-1]):  # strongest last, so it wins
        out[parts.map(lambda p, lv=level: lv in p)] = level
    return out


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
    sites = sql.run(con, "risk_site_tiers")
    sites["site_level"] = sites["site_id"].isin(site_level_sites(con))
    risk = _score(comps, wm, sites)
    comps = comps.assign(
        contribution=comps["contribution"].astype(float),
        value=comps["value"].astype(float),
    )[COMPONENT_COLUMNS]
    _write(con, "risk_components", comps, order="site_id, dimension, level, indicator")
    _write(con, "site_risk", risk, order="site_id")
    wt = weights_table(cfg)
    wt["weight"] = [
        wm.get(k, 0.0) for k in zip(wt["tier"], wt["dimension"], wt["indicator"], strict=True)
    ]
    _write(con, "risk_weights", wt)
    return {
        "components": len(comps),
        "sites": len(risk),
        "labour_known": int(risk["labour"].notna().sum()),
        "environment_known": int(risk["environment"].notna().sum()),
    }


def site_level_sites(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Sites visited on site (IPIS) or with a linked documented conflict: site-level evidence
    even where no scored question was answered (queries/site_level_sites.sql)."""
    names = {r[0] for r in sql.execute(con, "catalog_names").fetchall()}
    if not {"site_facts", "conflict_links"} <= names:
        return set()
    return {r[0] for r in sql.execute(con, "site_level_sites").fetchall()}


def _write(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame, order: str = "") -> None:
    schema.write(con, name, df.reset_index(drop=True), mode="replace", order_by=order)


__all__ = [
    "COMPONENT_COLUMNS",
    "EVIDENCE_LEVELS",
    "RISK_COLUMNS",
    "evidence_level",
    "compute_risk",
    "rescore",
    "reweight",
]
