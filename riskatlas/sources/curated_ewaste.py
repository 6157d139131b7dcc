"""Our curated table of e-waste sites named in public reports: candidate sites plus cited findings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from riskatlas.countries import to_iso3
from riskatlas.paths import REPO_ROOT
from riskatlas.sources.base import (
    AdapterResult,
    SourceError,
    SourceInfo,
    clean_text,
    read_csv,
    records_frame,
    sha256_file,
)

FILE = "curated_ewaste.csv"
CURATED_PATH = REPO_ROOT / "riskatlas" / "data" / FILE
SOURCE = SourceInfo(
    source_id="curated_ewaste",
    title="E-waste sites documented in public reports (curated by the riskatlas project)",
    publisher="riskatlas project, from reports by BAN, SVTC, Greenpeace, Blacksmith Institute / "
    "Green Cross Switzerland and Toxics Link",
    # The table lives in this repository (CURATED_PATH), so it has no download address of its
    # own; each row cites its report's public address.
    url="repository file riskatlas/data/curated_ewaste.csv (each row cites its report's address)",
    licence="Our table: CC BY 4.0; each report belongs to its publisher",
    data_date="Reports from 2002 to 2019 (each fact is dated by its report's year)",
    folder="",  # committed in the repository, not downloaded: see CURATED_PATH
    files=(FILE,),
    notes=(
        "A small hand-curated table, not a survey: only sites that a cited public report names. "
        "No coordinates: each site is placed at its town (city precision) by the build's "
        "geocoder, so its point is approximate. One row per site x report; each row gives a "
        "documented_issue and a citation fact dated 1 January of the report year. Absence of a "
        "place from this table says nothing about conditions there."
    ),
    order=100,
    priority=0,
    site_ids="prefixed",
    site_prefix="ewaste:",
)

COLUMNS = (
    "slug",
    "name",
    "town",
    "province",
    "country",
    "what_documented",
    "report_title",
    "publisher",
    "year",
    "url",
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load(raw_dir: Path | None = None, path: Path | None = None) -> AdapterResult:
    """Candidate e-waste sites (one per slug) and their cited findings (one per report row).

    raw_dir is unused (the table lives in the repository); path lets tests read a fixture.
    """
    path = Path(path) if path else CURATED_PATH
    if not path.is_file():
        raise SourceError(f"{SOURCE.source_id}: missing source file {path}")
    rows = _rows(path)
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[FILE] = sha256_file(path)

    records: dict[str, dict] = {}
    facts = []
    for row in rows:
        checked = _check(row, result)
        if checked is None:
            continue
        slug, iso3, year = checked
        site = {
            "source_ref": slug,
            "name": row["name"],
            "tier": "ewaste",
            "lat": None,
            "lon": None,
            "geo_precision": None,
            "country_iso3": iso3,
            "country_raw": row["country"],
            "province": row["province"],
            "city": row["town"],
            "address": None,
            "minerals": [],
            "rmi_id": None,
        }
        if slug in records and _place(records[slug]) != _place(site):
            result.reject(slug, "same slug with a different name or place", row)
            continue
        records.setdefault(slug, site)
        citation = f"{row['report_title']}. {row['publisher']}, {year}. {row['url']}"
        observed = dt.date(year, 1, 1)
        for fact, value in (("documented_issue", row["what_documented"]), ("citation", citation)):
            facts.append(
                {
                    "record_ref": slug,
                    "fact": fact,
                    "value": value,
                    "observed_on": observed,
                    "source_ref": citation,
                }
            )
    result.tables["records"] = records_frame([records[k] for k in sorted(records)])
    result.tables["site_facts"] = (
        pd.DataFrame(facts, columns=["record_ref", "fact", "value", "observed_on", "source_ref"])
        .sort_values(["record_ref", "observed_on", "fact", "source_ref"])
        .reset_index(drop=True)
    )
    return result


def _rows(path: Path) -> list[dict[str, str | None]]:
    """Rows keyed by column; a file that cannot be read, or has another header, is a SourceError
    naming it (riskatlas.sources.base.read_csv)."""
    header, body = read_csv(path, SOURCE.source_id)
    if tuple(header) != COLUMNS:
        raise SourceError(
            f"{SOURCE.source_id}: {path} header is {header}, expected {list(COLUMNS)}"
        )
    rows = []
    for values in body:
        if len(values) != len(COLUMNS):
            rows.append(
                {
                    "_error": f"{len(values)} fields, expected {len(COLUMNS)}",
                    "_raw": ",".join(values),
                }
            )
            continue
        rows.append({c: clean_text(v) for c, v in zip(COLUMNS, values, strict=True)})
    return rows


def _check(row: dict, result: AdapterResult) -> tuple[str, str, int] | None:
    """(slug, iso3, year) of a complete row, or None after rejecting it with the reason."""
    if "_error" in row:
        result.reject("?", row["_error"], row["_raw"])
        return None
    slug = row["slug"] or "?"
    if not SLUG.match(slug):
        result.reject(slug, "slug must be lower-case words joined by '-'", row)
        return None
    empty = [c for c in COLUMNS if not row.get(c)]
    if empty:
        result.reject(
            slug, f"missing {', '.join(empty)}: every site needs a town and a citation", row
        )
        return None
    iso3 = to_iso3(row["country"])
    if iso3 is None:
        result.reject(slug, f"country not recognised: {row['country']!r}", row)
        return None
    try:
        year = int(row["year"])
    except ValueError:
        result.reject(slug, f"year is not a year: {row['year']!r}", row)
        return None
    if not 1990 <= year <= dt.date.today().year:
        result.reject(slug, f"year out of range: {year}", row)
        return None
    if not re.match(r"^https?://\S+$", row["url"]):
        result.reject(slug, f"url is not an http(s) address: {row['url']!r}", row)
        return None
    return slug, iso3, year


def _place(site: dict) -> tuple:
    return (site["name"], site["city"], site["province"], site["country_iso3"])
