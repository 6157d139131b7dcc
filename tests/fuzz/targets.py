"""What to fuzz: one Target per source adapter and the trace each result must satisfy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from riskatlas.paths import SHARED_DATA
from riskatlas.sources.base import AdapterResult

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Target:
    """How to fuzz one adapter: its file, format, columns worth aiming at, and what to trace."""

    name: str
    kind: str  # csv | tsv | xlsx | xml | geojson
    folder: str
    filename: str
    key_cols: tuple[str, ...] = ()
    header_row: int = 0  # xlsx: index of the header row (Freedom House has a title row first)
    sheet: str | None = None  # xlsx
    xml_path: str = ""  # xml: path from the root to one entry
    seed_path: Path | None = None  # a file outside the mirror (curated e-waste)
    trace: Callable[[AdapterResult], str | None] | None = None
    call_with_path: bool = False  # curated_ewaste.load(raw_dir, path=...)

    @property
    def source(self) -> Path:
        return self.seed_path or SHARED_DATA / self.folder / self.filename


def _table(result: AdapterResult, name: str) -> pd.DataFrame:
    return result.tables.get(name, pd.DataFrame())


def _col_sum(df: pd.DataFrame, col: str) -> int:
    return int(df[col].sum()) if col in df.columns and len(df) else 0


def _exactly(what: str, got: int, want: int) -> str | None:
    return None if got == want else f"{what}: {got} != rows_loaded-derived {want}"


def _at_most(what: str, got: int, limit: int) -> str | None:
    return None if got <= limit else f"{what}: {got} > {limit} (more output than loaded rows)"


RMI_KEYS = ("smelter_id", "lookup_name", "country", "metal", "template", "template_version",
            "template_release_date", "standard_smelter_name")  # fmt: skip
# Sheet columns A-I, as rmi.COLUMNS names them (the cached header texts are in Chinese).
RMI_SHEET_COLUMNS = ("metal", "lookup_name", "standard_smelter_name", "country", "smelter_id",
                     "id_source", "street", "city", "state_province")  # fmt: skip

TRACES: dict[str, Callable[[AdapterResult], str | None]] = {
    "country_codes": lambda r: _exactly(
        "ISO rows in countries",
        int(_table(r, "countries").get("in_iso3166", pd.Series(dtype=bool)).fillna(False).sum()),
        r.rows_loaded,
    ),
    "natural_earth": lambda r: _exactly(
        "country_shapes rows", len(_table(r, "country_shapes")), r.rows_loaded
    ),
    "ipis": lambda r: _exactly(
        "sum of records.n_visits", _col_sum(_table(r, "records"), "n_visits"), r.rows_loaded
    ),
    "icmm": lambda r: _exactly("records", len(_table(r, "records")), r.rows_loaded),
    "mrds": lambda r: _exactly(
        "sum of records.n_rows", _col_sum(_table(r, "records"), "n_rows"), r.rows_loaded
    ),
    "usgs_africa": lambda r: _exactly("records", len(_table(r, "records")), r.rows_loaded),
    "rmi_retired": lambda r: (
        _at_most("records (one per ID)", len(_table(r, "records")), r.rows_loaded)
        or _exactly(
            "aliases rows' ids in records",
            len(set(_table(r, "rmi_aliases").get("smelter_id", []))),
            len(_table(r, "records")),
        )
    ),  # fmt: skip
    "apple": lambda r: _exactly("links", len(_table(r, "links")), r.rows_loaded),
    "curated_ewaste": lambda r: _exactly(
        "site_facts (2 per row)", len(_table(r, "site_facts")), 2 * r.rows_loaded
    ),
    "ejatlas": lambda r: (
        _exactly("conflicts", len(_table(r, "conflicts")), r.rows_loaded)
        or _exactly(
            "citations of e-waste records",
            len(_table(r, "site_facts")),
            len(_table(r, "records")),
        )
    ),
    "rmi": lambda r: (
        _at_most("smelter ids in rmi_reference", len(_table(r, "rmi_reference")), r.rows_loaded)
        or _exactly("records", len(_table(r, "records")), len(_table(r, "rmi_reference")))
        or (None if r.rows_loaded == 0 or len(_table(r, "records")) else "no record from rows")
    ),
    "ilab_goods": lambda r: (
        _at_most(
            "distinct goods_risk entries", _nunique(r, "goods_risk", "source_ref"), r.rows_loaded
        )
        or (
            None
            if len(_table(r, "goods_risk")) >= r.rows_loaded
            else "goods_risk has fewer rows than loaded entries"
        )
    ),
    "ilab_countries": lambda r: _exactly(
        "ilab_country_profiles", len(_table(r, "ilab_country_profiles")), r.rows_loaded
    ),
    "walkfree": lambda r: _at_most(
        "countries with indicators",
        _nunique(r, "country_indicators", "country_iso3"),
        r.rows_loaded,
    ),
    "freedom_house": lambda r: _exactly(
        "country_indicators (5 per row)", len(_table(r, "country_indicators")), 5 * r.rows_loaded
    ),
    "wgi": lambda r: _at_most(
        "country_indicators (<= 2 per row)", len(_table(r, "country_indicators")), 2 * r.rows_loaded
    ),
    "what_a_waste": lambda r: _at_most(
        "countries with indicators",
        _nunique(r, "country_indicators", "country_iso3"),
        r.rows_loaded,
    ),
    "eurostat_weee": lambda r: _at_most(
        "distinct series in weee",
        len(_table(r, "weee").drop_duplicates(["geo", "waste", "operation", "unit"]))
        if len(_table(r, "weee"))
        else 0,
        r.rows_loaded,
    ),
    "owid_ewaste": lambda r: _at_most(
        "indicator + region rows",
        len(_table(r, "country_indicators")) + len(_table(r, "ewaste_recycling_regions")),
        r.rows_loaded,
    ),
}


def _nunique(r: AdapterResult, table: str, col: str) -> int:
    df = _table(r, table)
    return int(df[col].nunique()) if col in df.columns else 0


# fmt: off
TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("country_codes", "csv", "country_codes", "country-codes.csv",
               ("ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2", "CLDR display name", "Region Name")),
        Target("natural_earth", "geojson", "natural_earth_admin0_110m",
               "ne_110m_admin_0_countries.geojson"),
        Target("ipis", "csv", "ipis_drc_mine_sites", "cod_mines_curated_all_opendata_p_ipis.csv",
               ("vid", "pcode", "visit_date", "latitude", "longitude", "workers_numb",
                "mineral1", "location_origin", "presence", "name")),
        Target("icmm", "xlsx", "icmm_global_mining_dataset_2025",
               "icmm_global_mining_dataset_2025_09.xlsx",
               ("ICMMID", "Latitude", "Longitude", "Country", "Primary Commodity", "Asset Type"),
               sheet="External"),
        Target("mrds", "csv", "usgs_mrds", "minmod_mineral_sites_co_li_ni_ta_nb_w_ree_2024.csv",
               ("ms_uri", "lat", "lon", "site_name", "country", "commodity", "source_id",
                "record_id", "state_or_province")),
        Target("usgs_africa", "csv", "usgs_africa_mineral_deposits",
               "usgs_africa_mineral_deposits.csv",
               ("gid", "latitude", "longitude", "commodity", "country", "dep_name")),
        Target("rmi_retired", "csv", "rmi_retired_smelter_ids", "retired_smelter_ids.csv",
               ("smelter_id", "name", "country", "metal", "revision_basis", "revision_date")),
        Target("apple", "csv", "apple_supplier_list_2012_2022",
               "apple_supplier_list_2012_2022.csv",
               ("year", "supplier_name", "country", "supplier_address")),
        Target("curated_ewaste", "csv", "", "curated_ewaste.csv",
               ("slug", "country", "year", "url", "name", "town"),
               seed_path=REPO / "riskatlas" / "data" / "curated_ewaste.csv",
               call_with_path=True),
        Target("ejatlas", "csv", "ejatlas_conflicts_points", "ejatlas_conflicts_points.csv",
               ("ejatlas_id", "url", "lat", "lon", "commodities", "last_update",
                "conflict_name", "companies")),
        Target("ilab_goods", "xml", "ilab_child_forced_labor", "ilab_goods_list_source.xml",
               ("Country_Name", "Child_Labor", "Forced_Labor", "Derived_Labor_Exploitation",
                "Derived_Country", "Good_Name"),
               xml_path="Good/Countries/Country"),
        Target("ilab_countries", "xml", "ilab_child_forced_labor",
               "ilab_country_findings_source.xml",
               ("Name", "Advancement_Level", "Labor_Inspectors", "C_138_Ratified",
                "Total_Percentage_of_Working_Children", "Labor_Inspectors_Intl_Standards"),
               xml_path="Country"),
        Target("walkfree", "csv", "walkfree_global_slavery_index_2023",
               "Global_Slavery_Index_2023_original.csv",
               ("Country", "Estimated prevalence of modern slavery per 1,000 population",
                "Estimated number of people in modern slavery")),
        Target("freedom_house", "xlsx", "freedom_house_fiw_2013_2024",
               "All_data_FIW_2013-2024.xlsx",
               ("Country/Territory", "C/T", "Edition", "E3", "G4", "PR", "CL", "Total"),
               header_row=1, sheet="FIW13-24"),
        Target("wgi", "csv", "world_bank_wgi", "wgidataset.csv",
               ("code", "year", "indicator", "estimate", "pctrank", "codeindyr")),
        Target("what_a_waste", "csv", "world_bank_what_a_waste", "country_level_data_0.csv",
               ("iso3c", "country_name", "population_population_number_of_people",
                "special_waste_e_waste_tons_year", "waste_treatment_recycling_percent",
                "waste_treatment_controlled_landfill_percent")),
        Target("eurostat_weee", "tsv", "eurostat_weee_env_waselee", "env_waselee.tsv"),
        Target("owid_ewaste", "csv", "owid_ewaste_recycling_rate",
               "electronic-waste-recycling-rate.csv",
               ("Entity", "Code", "Year", "Proportion of electronic waste recycled (%)")),
        # RMI reads four template workbooks and one CSV; each example damages one of them.
        Target("rmi", "rmi", "rmi_smelter_reference_list", "", RMI_KEYS,
               header_row=3, sheet="Smelter Look-up"),
    ]
}
# fmt: on
