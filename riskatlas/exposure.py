"""Inferred exposure: mines a brand's listed smelters may draw on, labelled inferred, never a link.

For each documented brand -> smelter link (links.relation = 'lists_smelter') with mineral m, the
mine and artisanal_mine sites producing m in
  (a) the countries the smelter reports sourcing from (Samsung's sourcing codes 'DRC' and 'CC'),
      route 'smelter_sourcing';
  (b) the countries the ILAB List of Goods flags for child or forced labour in m,
      route 'ilab_goods_list'.
One row per (brand, mineral, site): the routes are aggregated (``route`` is a comma list, with
boolean columns per route) and ``n_via_smelters`` counts the brand's smelters behind the row.
``via_site_id`` names a smelter only where one is the basis of the route: a listed smelter that
reports sourcing from the site's country (route a; the first by id when several do). The goods-list
route (b) rests on the brand listing *some* smelter of m and on ILAB's flag, not on any one
smelter, so it names none (NULL): naming one would read as "sourced via" that refiner, which no
source says. Nothing here is written to ``links``: no disclosure names these sites.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from riskatlas import schema, sql

MINE_TIERS = ("mine", "artisanal_mine")
ROUTES = ("smelter_sourcing", "ilab_goods_list")
# Each route in words, for pages and reports (the route codes stay in tables and exports).
ROUTE_WORDS = {
    "smelter_sourcing": "a refiner the brand lists reports sourcing from this country",
    "ilab_goods_list": "ILAB goods list: this mineral from this country (no refiner named)",
}
# The DRC and the nine "adjoining countries" of the US Dodd-Frank Act section 1502(e)(4): the
# countries sharing an internationally recognised border with the DRC, as listed in the SEC's
# final rule (17 CFR 240.13p-1, 2012; South Sudan in place of the Sudan of 2010). Samsung's
# report legend (p. 35) says "CC: Covered countries are the 9 countries adjoining the DRC".
DRC = "COD"
COVERED_COUNTRIES = ("AGO", "BDI", "CAF", "COG", "RWA", "SSD", "TZA", "UGA", "ZMB")
SOURCING_CODES = {
    "DRC": ((DRC,), "the DRC"),
    "CC": (COVERED_COUNTRIES, "the DRC-adjoining covered countries (CC)"),
}
_CODE_RE = re.compile(r"(?<![A-Z])(DRC|CC)(?![A-Z])")
COLUMNS = schema.columns("inferred_exposure")  # queries/schema_derived.sql


def route_text(route: object) -> str:
    """A comma list of route codes in words ('smelter_sourcing,ilab_goods_list' -> two clauses)."""
    codes = [r for r in str(route or "").split(",") if r]
    return "; ".join(ROUTE_WORDS.get(r, r) for r in codes)


def sourcing_countries(direct: str | None, indirect: str | None) -> list[tuple[str, str, str]]:
    """(country_iso3, code, 'direct'|'indirect') for the DRC and CC codes in a smelter's cells."""
    out = []
    for how, text in (("direct", direct), ("indirect", indirect)):
        for code in dict.fromkeys(_CODE_RE.findall(str(text or "").upper())):
            out += [(iso3, code, how) for iso3 in SOURCING_CODES[code][0]]
    return out


def _smelter_links(con) -> pd.DataFrame:
    cols = [
        "brand_id",
        "site_id",
        "mineral",
        "source_id",
        "source_ref",
        "direct_sourcing",
        "indirect_sourcing",
    ]
    df = sql.optional_columns(con, "links", cols, "exposure_smelter_links")
    return df.sort_values(["brand_id", "mineral", "site_id", "source_ref"]).reset_index(drop=True)


def _via_sourcing(links: pd.DataFrame) -> pd.DataFrame:
    """Route (a): brand, mineral, country, smelter from the smelters' own sourcing codes."""
    rows = []
    for lk in links.itertuples(index=False):
        for iso3, code, how in sourcing_countries(lk.direct_sourcing, lk.indirect_sourcing):
            rows.append(
                (lk.brand_id, lk.mineral, iso3, lk.site_id, code, how, lk.source_id, lk.source_ref)
            )
    df = pd.DataFrame(
        rows,
        columns=[
            "brand_id",
            "mineral",
            "country_iso3",
            "smelter",
            "code",
            "how",
            "source_id",
            "source_ref",
        ],
    )
    # one row per (brand, mineral, country, smelter): direct before indirect, DRC before CC
    return df.sort_values(
        ["brand_id", "mineral", "country_iso3", "smelter", "how", "code"]
    ).drop_duplicates(["brand_id", "mineral", "country_iso3", "smelter"])


def _via_goods_list(con, links: pd.DataFrame) -> pd.DataFrame:
    """Route (b): brand, mineral, country wherever ILAB flags mining m with child or forced labour."""
    cols = [
        "good",
        "mineral",
        "country_iso3",
        "child_labor",
        "forced_labor",
        "derived",
        "source_id",
    ]
    goods = sql.optional_columns(con, "goods_risk", cols, params={"table": "goods_risk"})
    if goods.empty:
        return pd.DataFrame(
            columns=["brand_id", "mineral", "country_iso3", "good", "flags", "goods_source_id"]
        )
    cl = goods["child_labor"].fillna(False).astype(bool)
    fl = goods["forced_labor"].fillna(False).astype(bool)
    derived = goods["derived"].fillna(False).astype(bool)
    g = goods[
        (cl | fl) & ~derived & goods["mineral"].notna() & goods["country_iso3"].notna()
    ].copy()
    g["flags"] = [
        " and ".join(f for f, on in (("child labour", c), ("forced labour", f_)) if on)
        for c, f_ in zip(cl[g.index], fl[g.index], strict=True)
    ]
    g = g.sort_values(["mineral", "country_iso3", "good"]).drop_duplicates(
        ["mineral", "country_iso3"]
    )
    pairs = links[["brand_id", "mineral"]].drop_duplicates()
    return pairs.merge(
        g[["mineral", "country_iso3", "good", "flags", "source_id"]].rename(
            columns={"source_id": "goods_source_id"}
        ),
        on="mineral",
    )


def _mines(con) -> pd.DataFrame:
    cols = ["site_id", "tier", "country_iso3", "minerals"]
    sites = sql.optional_columns(con, "sites", cols, params={"table": "sites"})
    sites = sites[sites["tier"].isin(MINE_TIERS) & sites["country_iso3"].notna()]
    return (
        sites.explode("minerals").rename(columns={"minerals": "mineral"}).dropna(subset=["mineral"])
    )


def build_exposure(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The inferred_exposure rows (see the module docstring), deterministic order."""
    links = _smelter_links(con)
    if links.empty:
        return pd.DataFrame(columns=COLUMNS)
    mines = _mines(con)
    brand_names = _brand_names(con)

    src = _via_sourcing(links)
    a = src.groupby(["brand_id", "mineral", "country_iso3"], as_index=False).agg(
        a_smelters=("smelter", list),
        a_via=("smelter", "first"),
        a_code=("code", "first"),
        a_how=("how", "first"),
        a_source_id=("source_id", "first"),
        a_source_ref=("source_ref", "first"),
    )
    b = _via_goods_list(con, links)
    smelters_of = {k: sorted(set(v)) for k, v in links.groupby(["brand_id", "mineral"])["site_id"]}
    keys = pd.concat(
        [a[["brand_id", "mineral", "country_iso3"]], b[["brand_id", "mineral", "country_iso3"]]]
    ).drop_duplicates()
    routes = keys.merge(a, how="left", on=["brand_id", "mineral", "country_iso3"]).merge(
        b, how="left", on=["brand_id", "mineral", "country_iso3"]
    )
    out = routes.merge(mines, on=["mineral", "country_iso3"])
    # a site the brand's own disclosure names is documented, not inferred
    documented = _documented_pairs(con)
    if len(documented):
        key = pd.MultiIndex.from_frame(out[["brand_id", "site_id"]])
        out = out[~key.isin(documented)].reset_index(drop=True)
    if out.empty:
        return pd.DataFrame(columns=COLUMNS)

    has_a = out["a_via"].notna()
    has_b = out["good"].notna()
    all_smelters = [
        smelters_of[(br, m)] for br, m in zip(out["brand_id"], out["mineral"], strict=True)
    ]
    out["n_brand_smelters"] = [len(sm) for sm in all_smelters]
    out["via_smelter_sourcing"] = has_a
    out["via_ilab_goods_list"] = has_b
    out["route"] = [
        ",".join(r for r, on in zip(ROUTES, flags, strict=True) if on)
        for flags in zip(has_a, has_b, strict=True)
    ]
    # a via only where the route has one (see the module docstring): never a stand-in smelter
    out["via_site_id"] = [va if isinstance(va, str) else None for va in out["a_via"]]
    out["n_via_smelters"] = [
        len(sm) if hb else len(aa)
        for sm, aa, hb in zip(all_smelters, out["a_smelters"], has_b, strict=True)
    ]
    via = links.drop_duplicates(["brand_id", "mineral", "site_id"])[
        ["brand_id", "mineral", "site_id", "source_id", "source_ref"]
    ].rename(
        columns={
            "site_id": "via_site_id",
            "source_id": "link_source_id",
            "source_ref": "link_source_ref",
        }
    )
    out = out.merge(via, how="left", on=["brand_id", "mineral", "via_site_id"])
    lists_of = {k: sorted(set(v)) for k, v in links.groupby(["brand_id", "mineral"])["source_id"]}
    brand_lists = [lists_of[(br, m)] for br, m in zip(out["brand_id"], out["mineral"], strict=True)]
    goods_ids = out["goods_source_id"].where(has_b.to_numpy(), None)
    out["source_id"] = out["a_source_id"].where(has_a.to_numpy(), goods_ids)
    out["source_ids"] = [
        [
            s
            for s in dict.fromkeys(
                [ls if isinstance(ls, str) else None, *([] if ha else bl)]
                + [aid if ha else None, gid if hb else None]
            )
            if s
        ]
        for ls, bl, aid, gid, ha, hb in zip(
            out["link_source_id"],
            brand_lists,
            out["a_source_id"],
            out["goods_source_id"],
            has_a,
            has_b,
            strict=True,
        )
    ]
    # the route's citation: the via smelter's line in the list (route a), or, with no via, the
    # brand's lists of m as a whole (the goods-list route rests on the brand listing m at all)
    whole_lists = pd.Series(
        [
            f"{'; '.join(bl)}: {n} {m} smelter{'s' if n != 1 else ''} or refiner{'s' if n != 1 else ''} listed"
            for bl, n, m in zip(brand_lists, out["n_brand_smelters"], out["mineral"], strict=True)
        ],
        index=out.index,
    )
    via_ref = out["link_source_id"].astype(str) + " " + out["link_source_ref"].astype(str)
    link_ref = via_ref.where(out["via_site_id"].notna().to_numpy(), whole_lists)
    goods_ref = (
        out["goods_source_id"].astype(str)
        + ": "
        + out["good"].astype(str)
        + ", "
        + out["country_iso3"]
    )
    out["source_ref"] = link_ref.where(~has_b.to_numpy(), link_ref + "; " + goods_ref)
    out["via_country_iso3"] = out["country_iso3"]
    site_names = _site_names(con)
    out["explanation"] = [
        _explain(r, brand_names.get(r["brand_id"], r["brand_id"]), site_names)
        for r in out.to_dict("records")
    ]
    out = out[COLUMNS].sort_values(["brand_id", "mineral", "site_id"]).reset_index(drop=True)
    return out


def _documented_pairs(con) -> pd.MultiIndex:
    df = sql.optional_columns(con, "links", ["brand_id", "site_id"], "exposure_documented_pairs")
    return pd.MultiIndex.from_frame(df[["brand_id", "site_id"]])


def _brand_names(con) -> dict[str, str]:
    b = sql.optional_columns(con, "brands", ["brand_id", "name"], params={"table": "brands"})
    return dict(zip(b["brand_id"], b["name"], strict=True))


def _site_names(con) -> dict[str, str]:
    s = sql.optional_columns(con, "sites", ["site_id", "name"], "exposure_smelter_names")
    return {i: n for i, n in zip(s["site_id"], s["name"], strict=True) if isinstance(n, str)}


def _explain(r: dict, brand: str, site_names: dict[str, str] | None = None) -> str:
    """Sentences a reader can check: who lists what, and why this site might be upstream of it."""
    m, c, n_all = r["mineral"], r["country_iso3"], r["n_brand_smelters"]
    parts = [
        "Inferred, not documented: no disclosure names this site.",
        f"{brand} lists {n_all} {m} smelter{'s' if n_all != 1 else ''} or refiner{'s' if n_all != 1 else ''}.",
    ]
    if r["via_smelter_sourcing"]:
        n = len(r["a_smelters"])
        via = (site_names or {}).get(r["a_via"])
        via = f"{via} ({r['a_via']})" if via else r["a_via"]
        who = f"{via} reports" if n == 1 else f"{n} of them (e.g. {via}) report"
        where = (
            "the DRC"
            if r["a_code"] == "DRC"
            else f"the DRC-adjoining covered countries (CC), which include {c}"
        )
        parts.append(f"{who} sourcing {r['a_how']}ly from {where}.")
    if r["via_ilab_goods_list"]:
        parts.append(f"The ILAB List of Goods flags {r['good']} from {c} for {r['flags']}.")
    parts.append(f"This {r['tier'].replace('_', ' ')} produces {m} in {c}.")
    return " ".join(parts)


def compute_exposure(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Create the inferred_exposure table in ``con`` (replacing it) and return its counts."""
    df = build_exposure(con)
    schema.write(con, "inferred_exposure", df, mode="replace")
    return {
        "rows": len(df),
        "sites": int(df["site_id"].nunique()),
        "smelter_sourcing": int(df["via_smelter_sourcing"].sum()) if len(df) else 0,
        "ilab_goods_list": int(df["via_ilab_goods_list"].sum()) if len(df) else 0,
    }
