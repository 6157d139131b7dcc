"""Everything one brand exposure report states, gathered from the atlas with named queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

import duckdb
import pandas as pd

from .. import sql

TOP_N = 15


@dataclass
class ReportData:
    brand_id: str
    brand_name: str | None
    minerals: list[str]
    year: int | None
    lists: pd.DataFrame
    documented: pd.DataFrame
    inferred: pd.DataFrame
    evidence: pd.DataFrame
    sources: pd.DataFrame
    weights: pd.DataFrame
    built_at: str
    generated_at: str
    app_query: str
    coverage: dict = field(default_factory=dict)
    change: dict | None = None  # changes since the brand's previous list (riskatlas.changes)
    # country-level labour evidence of the top sites' countries, as published (see the query)
    country_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    # listed smelters RMI removed from its list (date and reason): a finding about the list
    rmi_removed: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def has_links(self) -> bool:
        return not self.documented.empty


def _brand(con, names, brand: str) -> tuple[str, str | None]:
    """The brand's id and display name, read by riskatlas.names (ids, names, "Samsung", close
    spellings); a refused name raises names.UnknownName, so no report is written about a brand
    the atlas does not hold."""
    (brand_id,) = names.require("brand", brand)
    return brand_id, names.brands.label(brand_id)


def _change(con, brand_id: str, year: int | None) -> dict | None:
    """What changed since the brand's previous list: the report year (else its latest list)
    against the list before it, counted added, dropped and kept with the top countries."""
    from .. import changes

    years = [int(y) for y in sql.run(con, "brand_list_years", {"brand_id": brand_id})["year"]]
    to = year if year in years else (years[-1] if years else None)
    earlier = [y for y in years if to is not None and y < to]
    if not earlier:
        return None
    since = earlier[-1]
    links = sql.run(con, "brand_year_links", {"brand": brand_id, "year_from": since, "year_to": to})
    result = changes.change(links, since, to)
    by_country = changes.summary_by(result.table, "country_name").head(8)
    return {
        "since": since,
        "to": to,
        "counts": result.counts(),
        "by_province": result.by_province,
        "countries": by_country.to_dict("records"),
        "app_query": "?" + urlencode({"brand": brand_id, "from": since, "to": to}),
    }


def _weights() -> pd.DataFrame:
    from ..risk import weights_table

    return pd.DataFrame(weights_table())


def gather(
    con: duckdb.DuckDBPyConnection,
    brand: str,
    minerals: list[str] | None = None,
    year: int | None = None,
    now: dt.datetime | None = None,
) -> ReportData:
    """Collect the report's facts; documented and inferred sites stay in separate frames.

    ``brand`` and ``minerals`` are names as people type them (riskatlas.names): an unknown or
    ambiguous one raises names.UnknownName with the closest names, never a report on nothing.
    """
    from ..atlas_names import atlas_names

    names = atlas_names(con)
    brand_id, brand_name = _brand(con, names, brand)
    minerals = names.require_many("mineral", minerals or [])
    params = {"brand_id": brand_id, "year": year, "minerals": minerals}
    lists = sql.run(con, "report_brand_lists", params)
    documented = sql.run(con, "report_documented_sites", params)
    inferred = sql.run(con, "report_inferred_sites", {"brand_id": brand_id, "minerals": minerals})
    top_ids = list(documented["site_id"].head(TOP_N)) + list(inferred["site_id"].head(TOP_N))
    evidence = sql.run(con, "report_site_evidence", {"site_ids": top_ids})
    country_evidence = sql.run(con, "report_country_evidence", {"site_ids": top_ids})
    sources = sql.run(con, "source_dates")
    removed = sql.run(con, "brand_rmi_removed", {"brand_ids": [brand_id]})
    built = sql.execute(con, "built_at").fetchone()
    query = {"brand": brand_id}
    if minerals:
        query["mineral"] = ",".join(minerals)
    if year:
        query["year"] = str(year)
    coverage = {}
    for label, frame in (("documented", documented), ("inferred", inferred)):
        if not frame.empty:
            coverage[label] = {
                "sites": int(frame["site_id"].nunique()),
                "labour_unknown": int(frame["labour"].isna().sum()),
                "mean_labour_coverage": float(frame["labour_coverage"].mean())
                if frame["labour_coverage"].notna().any()
                else None,
            }
    return ReportData(
        brand_id=brand_id,
        brand_name=brand_name,
        minerals=minerals,
        year=year,
        lists=lists,
        documented=documented,
        inferred=inferred,
        evidence=evidence,
        sources=sources,
        weights=_weights(),
        built_at=built[0] if built else "unknown",
        generated_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
        app_query="?" + urlencode(query),
        coverage=coverage,
        change=_change(con, brand_id, year),
        country_evidence=country_evidence,
        rmi_removed=removed,
    )
