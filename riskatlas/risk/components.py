"""Evidence for each site as normalised components (0..1, 1 = worst), one row per piece of evidence.

Reads the contract tables sites, site_facts, goods_risk and country_indicators from a DuckDB
connection. A component exists only where evidence exists: an unanswered question, a good not on
the ILAB list or a country without a value gives no row (it lowers coverage; it is not a 0).

Columns: site_id, tier, dimension, indicator, level, raw_value (the publisher's value as text),
value (normalised 0..1), base_weight (from the config), decay (recency factor of a site finding,
1 for other rungs), observed (visit date, indicator year or list date), source_id, source_ref
(a human citation with the visit date or the edition year).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from riskatlas import sql

from .config import Indicator, RiskConfig, WeightKey

COLUMNS = [
    "site_id",
    "tier",
    "dimension",
    "indicator",
    "level",
    "raw_value",
    "value",
    "base_weight",
    "decay",
    "observed",
    "source_id",
    "source_ref",
]
UNDATED_DECAY = 0.5  # a site finding without a date counts as one half-life old


def normalise(kind: str, params: dict[str, float], raw: pd.Series) -> pd.Series:
    """0..1 (1 = worst) for one normalisation kind; NaN where the raw value is not usable."""
    if kind == "yes_no":
        s = raw.astype(str).str.strip().str.lower()
        return s.map({"yes": 1.0, "no": 0.0, "1": 1.0, "0": 0.0, "true": 1.0, "false": 0.0})
    if kind == "present":
        s = raw.astype(str).str.strip()
        return pd.Series(np.where(s.str.len() > 0, 1.0, np.nan), index=raw.index)
    if kind == "listed":
        return pd.Series(1.0, index=raw.index)
    x = pd.to_numeric(raw, errors="coerce").astype(float)
    if kind == "cap":
        out = x.clip(lower=0) / params["cap"]
    elif kind == "range":
        out = (x - params["lo"]) / (params["hi"] - params["lo"])
    elif kind == "inverted_range":
        out = (params["hi"] - x) / (params["hi"] - params["lo"])
    elif kind == "log_scale":
        lo, hi = np.log10(params["lo"]), np.log10(params["hi"])
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (np.log10(x.where(x > 0, params["lo"])) - lo) / (hi - lo)
    else:  # pragma: no cover - the config validates kinds
        raise ValueError(kind)
    return out.clip(0.0, 1.0)


def build_components(
    con: duckdb.DuckDBPyConnection, config: RiskConfig, weights: dict[WeightKey, float]
) -> pd.DataFrame:
    """Every piece of evidence for every site, for the indicators weighted for its tier."""
    sites = _table(con, "sites", ["site_id", "tier", "country_iso3", "minerals"])
    plan = pd.DataFrame(
        [(t, d, i, w) for (t, d, i), w in weights.items() if w > 0 and i in config.indicators],
        columns=["tier", "dimension", "indicator", "base_weight"],
    )
    if sites.empty or plan.empty:
        return pd.DataFrame(columns=COLUMNS)
    plan["level"] = plan["indicator"].map(lambda i: config.indicators[i].level)
    parts = [
        _site_components(con, sites, plan[plan["level"] == "site"], config),
        _goods_components(con, sites, plan[plan["level"] == "mineral_country"], config),
        _country_components(con, sites, plan[plan["level"] == "country"], config),
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    # row order follows the (sorted) inputs; the database table is written sorted by site
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def _table(con: duckdb.DuckDBPyConnection, name: str, cols: list[str]) -> pd.DataFrame:
    """A contract table's columns, or an empty frame if the table (its source) is absent."""
    return sql.optional_columns(con, name, cols, params={"table": name})


def _cite(template: str, **kw) -> str:
    return template.format(**{k: ("n.d." if v is None or v != v else v) for k, v in kw.items()})


def _site_components(con, sites, plan, config) -> pd.DataFrame:
    """Latest answer per site and question from site_facts, weighted by the age of the visit."""
    if plan.empty:
        return pd.DataFrame()
    keys = sorted({config.indicators[i].key for i in plan["indicator"]})
    facts = _table(
        con, "site_facts", ["site_id", "fact", "value", "observed_on", "source_id", "source_ref"]
    )
    facts = facts[facts["fact"].isin(keys) & facts["site_id"].notna() & facts["value"].notna()]
    if facts.empty:
        return pd.DataFrame()
    facts = facts.assign(observed_on=pd.to_datetime(facts["observed_on"], errors="coerce"))
    facts = facts.sort_values(["site_id", "fact", "observed_on", "source_ref"], na_position="first")
    facts = facts.drop_duplicates(["site_id", "fact"], keep="last")
    reference = facts["observed_on"].max()
    facts = facts.assign(age_years=(reference - facts["observed_on"]).dt.days / 365.25)

    plan = plan.assign(key=plan["indicator"].map(lambda i: config.indicators[i].key))
    # facts first: only sites with a finding are joined to the plan (not every site x indicator)
    df = facts.merge(sites[["site_id", "tier"]], on="site_id").merge(
        plan, left_on=["tier", "fact"], right_on=["tier", "key"]
    )
    if df.empty:
        return pd.DataFrame()
    half_life = df["indicator"].map(
        lambda i: config.indicators[i].half_life_years or config.half_life_years
    )
    df["decay"] = np.power(0.5, df["age_years"] / half_life).fillna(UNDATED_DECAY)
    df["value"] = _by_indicator(df, config, df["value"])
    df = df[df["value"].notna()].copy()
    df["raw_value"] = df["value_raw"]
    observed = df["observed_on"].dt.strftime("%Y-%m-%d")
    df["observed"] = observed.where(df["observed_on"].notna(), None)
    df["source_ref"] = [
        _cite(config.indicators[i].cite, observed=o, ref=r)
        for i, o, r in zip(df["indicator"], df["observed"], df["source_ref"], strict=True)
    ]
    return df


def _by_indicator(df: pd.DataFrame, config: RiskConfig, raw: pd.Series) -> pd.Series:
    """Normalise each indicator's rows with its own kind; keeps the raw text in df['value_raw']."""
    df["value_raw"] = raw.astype(str)
    out = pd.Series(np.nan, index=df.index, dtype=float)
    for name, idx in df.groupby("indicator").groups.items():
        ind: Indicator = config.indicators[name]
        out.loc[idx] = normalise(ind.normalise, ind.params, raw.loc[idx]).to_numpy(float)
    return out


def _goods_components(con, sites, plan, config) -> pd.DataFrame:
    """ILAB List of Goods flags for a site's minerals (or for its product) in its country."""
    if plan.empty:
        return pd.DataFrame()
    goods = _table(
        con,
        "goods_risk",
        ["good", "mineral", "country_iso3", "child_labor", "forced_labor", "derived", "source_id"],
    )
    if goods.empty:
        return pd.DataFrame()
    derived = goods["derived"].fillna(False).astype(bool)
    data_date = _data_dates(con)
    # evidence depends only on (country, minerals): find it once per distinct pair, then fan out
    s = sites[sites["country_iso3"].notna()].copy()
    s["mkey"] = [";".join(sorted(set(m))) if m is not None else "" for m in s["minerals"]]
    pairs = s[["country_iso3", "mkey"]].drop_duplicates()
    pairs["mineral"] = pairs["mkey"].str.split(";")
    frames = []
    for ind_name in plan["indicator"].unique():
        ind: Indicator = config.indicators[ind_name]
        listed = goods[goods[ind.key].fillna(False).astype(bool) & goods["country_iso3"].notna()]
        tiers = plan.loc[plan["indicator"] == ind_name, ["tier", "dimension", "base_weight"]]
        if ind.match == "mineral":
            # derived entries (e.g. batteries made from listed cobalt) say nothing about local mining
            listed = listed[~derived.loc[listed.index] & listed["mineral"].notna()]
            hit = pairs.explode("mineral").merge(listed, on=["country_iso3", "mineral"])
        else:
            listed = listed[listed["good"].isin(ind.goods)]
            hit = pairs[["country_iso3", "mkey"]].merge(listed, on="country_iso3")
        if hit.empty:
            continue
        hit = hit.sort_values(["country_iso3", "mkey", "good"]).drop_duplicates(
            ["country_iso3", "mkey", "good"]
        )
        ev = hit.groupby(["country_iso3", "mkey"], as_index=False).agg(
            goods=("good", "; ".join), source_id=("source_id", "first")
        )
        ev["raw_value"] = "listed: " + ev["goods"]
        ev["observed"] = ev["source_id"].map(data_date)
        ev["source_ref"] = [
            _cite(ind.cite, good=g, iso3=c, data_date=data_date.get(sid))
            for g, c, sid in zip(ev["goods"], ev["country_iso3"], ev["source_id"], strict=True)
        ]
        df = s[["site_id", "tier", "country_iso3", "mkey"]].merge(tiers, on="tier")
        df = df.merge(ev, on=["country_iso3", "mkey"])
        df["indicator"] = ind_name
        df["level"] = ind.level
        df["value"] = 1.0
        df["decay"] = 1.0
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _data_dates(con) -> dict[str, str]:
    src = _table(con, "sources", ["source_id", "data_date"])
    return {
        s: str(d) for s, d in zip(src["source_id"], src["data_date"], strict=True) if d is not None
    }


def _country_components(con, sites, plan, config) -> pd.DataFrame:
    """The latest year with a value of each country indicator, for every site in the country."""
    if plan.empty:
        return pd.DataFrame()
    plan = plan.assign(key=plan["indicator"].map(lambda i: config.indicators[i].key))
    ci = _table(
        con, "country_indicators", ["country_iso3", "indicator", "year", "value", "source_id"]
    )
    ci = ci[ci["indicator"].isin(plan["key"]) & ci["value"].notna() & ci["country_iso3"].notna()]
    if ci.empty:
        return pd.DataFrame()
    ci = ci.sort_values(["country_iso3", "indicator", "year", "source_id"], na_position="first")
    ci = ci.drop_duplicates(["country_iso3", "indicator"], keep="last")
    ci = ci.rename(columns={"indicator": "key", "value": "raw"})
    s = sites.loc[sites["country_iso3"].notna(), ["site_id", "tier", "country_iso3"]]
    # normalise once per country value, then fan out to sites
    per_key = plan[["indicator", "key"]].drop_duplicates().merge(ci, on="key")
    per_key["value"] = _by_indicator(per_key, config, per_key["raw"])
    per_key = per_key[per_key["value"].notna()]
    per_key["raw_value"] = [_fmt(v) for v in per_key["raw"]]
    years = pd.to_numeric(per_key["year"], errors="coerce")
    per_key["observed"] = [None if y != y else str(int(y)) for y in years]
    per_key["source_ref"] = [
        _cite(config.indicators[i].cite, year=o, iso3=c)
        for i, o, c in zip(
            per_key["indicator"], per_key["observed"], per_key["country_iso3"], strict=True
        )
    ]
    per_key["decay"] = 1.0
    per_key["level"] = "country"
    cols = [
        "indicator",
        "country_iso3",
        "raw_value",
        "value",
        "observed",
        "source_id",
        "source_ref",
        "decay",
        "level",
    ]
    df = s.merge(plan[["tier", "dimension", "indicator", "base_weight"]], on="tier")
    return df.merge(per_key[cols], on=["indicator", "country_iso3"])


def _fmt(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else f"{f:.6g}"


def reference_date(components: pd.DataFrame) -> dt.date | None:
    """The date site findings are aged from: the newest site-level observation."""
    obs = components.loc[components["level"] == "site", "observed"].dropna()
    return dt.date.fromisoformat(max(obs)) if len(obs) else None
