"""Apple's yearly Supplier Lists 2012-2022: one factory record per supplier location, one link per year."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas.brands import company_key, slug
from riskatlas.countries import to_iso3
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    read_csv_text,
    records_frame,
    sha256_file,
)

LIST_FILE = "apple_supplier_list_2012_2022.csv"
COLUMNS = ("year", "supplier_name", "country_area", "country", "supplier_address")
BRAND = "Apple"
TIER = "factory"
# From the 2020 list on, Apple prints only the admin region (province/state/city), not a street.
REGION_ONLY_FROM = 2019
MISSING_ADDRESS = {"na", "n/a", "-"}
# A table-continuation marker the 2020 PDF prints after some names; not part of the name.
CONTINUED = re.compile(r"\s*\(continued\)\s*$", re.IGNORECASE)
MAX_ADDRESS_SLUG = 60
STREET_ABBREVIATIONS = {
    "rd": "road", "ave": "avenue", "av": "avenue", "blvd": "boulevard", "bldg": "building",
    "dist": "district", "hwy": "highway", "ind": "industrial", "indl": "industrial",
    "pkwy": "parkway", "dr": "drive", "ln": "lane", "str": "strasse",
}  # fmt: skip

SOURCE = SourceInfo(
    source_id="apple_suppliers",
    title="Apple Supplier List 2012-2022 (yearly lists, compiled)",
    publisher="Apple Inc.; compiled into one table by CommonWealth Magazine (cwgrouptw/data)",
    url="https://www.apple.com/supplier-responsibility/",
    licence=(
        "Compilation: MIT (cwgrouptw/data). Facts from Apple's public Supplier List PDFs; "
        "Apple's terms for the PDFs not checked"
    ),
    data_date="2022",
    folder="apple_supplier_list_2012_2022",
    files=(LIST_FILE,),
    fetch_urls={
        LIST_FILE: (
            "https://raw.githubusercontent.com/cwgrouptw/data/"
            "b60fe07e2a1ee73080cea2cf7cd4fc4d6b16e32b/apple-supplier-list/apple-supplier-list.csv"
        ),
    },
    notes=(
        "Apple publishes one Supplier List PDF a year (no 2019 list). 2012-2018 lists give street "
        "addresses; 2020-2022 give only the province/state, so those factories are placed at "
        "province level at best. The list covers suppliers making up ~98% of Apple's direct "
        "spend, not every facility. A link's 'row n' is the data row of the compiled CSV."
    ),
    order=90,
    priority=0,
)


LINK_COLUMNS = [
    "brand", "record_ref", "relation", "mineral", "year", "source_ref", "status_as_reported",
    "name_as_reported", "country_as_reported", "address_as_reported", "direct_sourcing",
    "indirect_sourcing",
]  # fmt: skip


def _read(path: Path) -> pd.DataFrame:
    """The compiled list as text; a file without the expected columns stops the build."""
    df = read_csv_text(path, SOURCE.source_id)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise SourceError(
            f"{SOURCE.source_id}: {path.name} lacks column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, df.columns))})"
        )
    return df


def _address_key(address: str | None) -> str:
    """An address reduced for grouping: punctuation, case and common street abbreviations.

    Why: Apple reprints one factory as "No 21 Gucheng Rd ..." and "No 21 Gucheng Road ...".
    """
    words = slug(address).split("-")
    return "-".join(STREET_ABBREVIATIONS.get(w, w) for w in words if w)


def _address_slug(key: str) -> str:
    """Short, stable id fragment for an address: long street addresses are cut and hashed."""
    if len(key) <= MAX_ADDRESS_SLUG:
        return key
    digest = hashlib.sha1(key.encode()).hexdigest()[:8]
    return f"{key[:MAX_ADDRESS_SLUG].rstrip('-')}-{digest}"


def record_ref(name_key: str, country: str, address_key: str) -> str:
    """'apple:<supplier>:<country>[:<address>]': stable across rebuilds, unique per location."""
    parts = ["apple", slug(name_key), country.lower()]
    if address_key:
        parts.append(_address_slug(address_key))
    return ":".join(parts)


def _link_ref(year: Any, row_no: int) -> str:
    return f"Apple Supplier List {year}, row {row_no}"


def load(raw_dir: Path) -> AdapterResult:
    """Group the yearly rows into factory locations and keep each listing year as a documented link."""
    path = SOURCE.path(raw_dir, LIST_FILE)
    df = _read(path)
    result = AdapterResult(
        source=SOURCE, rows_in=len(df), file_hashes={LIST_FILE: sha256_file(path)}
    )

    groups: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    seen_exact: dict[tuple, int] = {}
    seen_year: dict[tuple[str, int], int] = {}
    for i, raw in enumerate(df.to_dict("records"), start=1):
        row = {c: clean_text(raw[c]) for c in COLUMNS}
        year_text = row["year"] or ""
        if not (year_text.isascii() and year_text.isdigit()):
            result.reject(
                f"Apple Supplier List, row {i}", f"year is not a number: {year_text!r}", raw
            )
            continue
        year = int(year_text)
        ref = _link_ref(year, i)
        printed = row["supplier_name"]
        name = CONTINUED.sub("", printed or "") or None
        if not name or not company_key(name):
            result.reject(ref, "missing supplier name", raw)
            continue
        address = row["supplier_address"]
        if address and address.lower() in MISSING_ADDRESS:
            address = None
        country_raw = row["country"]
        iso3 = to_iso3(country_raw)
        if not country_raw and not address:
            result.reject(ref, "no location: country and address are both empty", raw)
            continue

        exact = tuple(row.values())
        if exact in seen_exact:
            result.reject(ref, f"exact duplicate row (same as row {seen_exact[exact]})", raw)
            continue
        seen_exact[exact] = i

        country_part = iso3 or slug(country_raw) or "unknown"
        rref = record_ref(company_key(name), country_part, _address_key(address))
        if (rref, year) in seen_year:
            result.reject(
                ref,
                f"duplicate after normalising name and address: same supplier location and year "
                f"as row {seen_year[(rref, year)]}",
                raw,
            )
            continue
        seen_year[(rref, year)] = i

        g = groups.setdefault(
            rref,
            {"years": set(), "address": None, "province": None, "name_year": -1, "addr_year": -1},
        )
        g["years"].add(year)
        if year > g["name_year"]:  # the latest list's spelling names the record
            g.update(name=name, name_year=year, country_raw=country_raw, country_iso3=iso3)
        if address and year > g["addr_year"]:  # ... and prints its address
            g["addr_year"] = year
            g["province" if year >= REGION_ONLY_FROM else "address"] = address
        links.append(
            {
                "brand": BRAND,
                "record_ref": rref,
                "relation": "lists_supplier",
                "mineral": None,
                "year": year,
                "source_ref": ref,
                "status_as_reported": None,
                "name_as_reported": printed,
                "country_as_reported": country_raw,
                "address_as_reported": address,
                "direct_sourcing": None,
                "indirect_sourcing": None,
            }
        )

    records = [
        {
            "source_ref": rref,
            "name": g["name"],
            "tier": TIER,
            "lat": None,
            "lon": None,
            "geo_precision": None,
            "country_iso3": g["country_iso3"],
            "country_raw": g["country_raw"],
            "province": g["province"],
            "city": None,
            "address": g["address"],
            "minerals": [],
            "rmi_id": None,
            "years": sorted(g["years"]),
            "first_year": min(g["years"]),
            "last_year": max(g["years"]),
        }
        for rref, g in groups.items()
    ]
    result.tables["records"] = (
        records_frame(records).sort_values("source_ref").reset_index(drop=True)
    )
    result.tables["links"] = (
        pd.DataFrame(links, columns=LINK_COLUMNS).sort_values(["source_ref"]).reset_index(drop=True)
    )
    return result
