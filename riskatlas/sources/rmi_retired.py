"""RMI's revision history of smelter IDs (2014-2023) and the 2014 CFSI list: retired IDs' status.

Why: brands still list smelter IDs that RMI's current templates dropped; for most of them RMI
recorded when and why ("No longer an operating smelter / refiner"). That is a finding about the
disclosure itself, so each ID's history becomes dated site facts ("removed by RMI on
2018-09-18: no longer an operating smelter / refiner"); the names an ID carried become aliases
(``rmi_aliases`` table, :func:`aliases`) for the resolver and the disclosure importer; and the
2014 list's name and country become records, so an old ID a brand lists without a country can
still be placed (by a place in its name; the files give no city, and none is invented).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise
from riskatlas.sources.base import (
    AdapterResult,
    SourceInfo,
    clean_text,
    read_csv,
    records_frame,
    rows_frame,
    sha256_file,
)

FILE = "retired_smelter_ids.csv"
COLUMNS = (
    "smelter_id", "metal", "name", "country", "source_file", "revision_basis",
    "revision_details", "revision_date", "smelter_added_date", "old_v2_id",
    "in_rmi_reference_latest",
)  # fmt: skip
CID = re.compile(r"^CID\d{6}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIER = "smelter_refiner"
# revision_basis as RMI wrote it -> the fact it becomes (case differs between rows)
EVENTS = {
    "removed": "removed",
    "added": "added",
    "name correction": "renamed",
    "location correction": "location corrected",
    "metal correction": "metal corrected",
}

SOURCE = SourceInfo(
    source_id="rmi_retired",
    title="RMI smelter ID revision history 2014-2023 and the 2014 CFSI standard smelter list",
    publisher="Responsible Minerals Initiative (RMI), formerly CFSI (third-party copies)",
    url="https://www.responsiblemineralsinitiative.org/reporting-templates/",
    licence=(
        "No open licence stated: (c) Responsible Minerals Initiative / CFSI. Facts (ID, name, "
        "country, revision date and reason) shown with credit to RMI."
    ),
    data_date="2014-2023 (revision log to early 2023; CFSI list of April-July 2014)",
    folder="rmi_retired_smelter_ids",
    files=(FILE,),
    notes=(
        "From the 'Revisions History of smelters' sheet (GitHub harish-sahu-ks/CMRT_Backend) and "
        "two copies of the 2014 CFSI list (GitHub ldenevi/ddm). No city or province for any ID: "
        "the records carry name and country only. Malformed IDs (7 digits) are rejected."
    ),
    order=80,
    priority=4,
    match_role="query",
)


def load(raw_dir: Path) -> AdapterResult:
    """Records (one per ID), dated status facts and the aliases table."""
    result, rows_ok = _checked(raw_dir)
    result.tables["records"] = _records(rows_ok)
    result.tables["site_facts"] = _facts(rows_ok)
    result.tables["rmi_aliases"] = _aliases(rows_ok)
    return result


def _checked(raw_dir: Path) -> tuple[AdapterResult, pd.DataFrame]:
    """The file's rows that pass the checks (with their ref), and the result holding the rejects."""
    path = SOURCE.path(raw_dir, FILE)
    header, rows = read_csv(path, SOURCE.source_id, COLUMNS, "retired smelter ID")
    result = AdapterResult(source=SOURCE, rows_in=len(rows), file_hashes={FILE: sha256_file(path)})
    df = rows_frame(header, rows, result)
    good = []
    for n, row in enumerate(df.to_dict("records"), 2):
        row = {c: clean_text(row.get(c)) for c in COLUMNS}
        ref = f"{FILE}!line{n}"
        sid = row["smelter_id"] or ""
        if not CID.match(sid):
            result.reject(ref, f"smelter ID '{sid}' is not of the form CIDnnnnnn", row)
            continue
        date = row["revision_date"]
        if date and not DATE.match(date):
            result.reject(ref, f"revision date '{date}' is not YYYY-MM-DD", row)
            continue
        if not row["name"]:
            result.reject(ref, "no smelter name", row)
            continue
        row["ref"] = ref
        good.append(row)
    return result, pd.DataFrame(good, columns=[*COLUMNS, "ref"])


def _event(basis: str | None) -> str | None:
    return EVENTS.get((basis or "").strip().lower())


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows oldest first: revision events by date, undated 2014 list rows first."""
    return rows.assign(_d=rows["revision_date"].fillna("")).sort_values(
        ["smelter_id", "_d", "ref"], kind="stable"
    )


def _records(rows: pd.DataFrame) -> pd.DataFrame:
    """One record per ID: its latest name, its country and metal, every other name as alias."""
    out = []
    for sid, grp in _ordered(rows).groupby("smelter_id", sort=True):
        last = grp.iloc[-1]
        names = list(dict.fromkeys(grp["name"].tolist()))
        country = next((c for c in reversed(grp["country"].tolist()) if to_iso3(c)), None)
        metal = next((m for m in reversed(grp["metal"].tolist()) if normalise(m)), None)
        minerals = normalise(metal) if metal else []
        out.append(
            {
                "source_ref": sid,
                "name": last["name"],
                "tier": TIER,
                "lat": None,
                "lon": None,
                "geo_precision": None,
                "country_iso3": to_iso3(country) if country else None,
                "country_raw": country,
                "province": None,
                "city": None,
                "address": None,
                "minerals": minerals[:1],
                "rmi_id": sid,
                "aliases": [n for n in names if n != last["name"]],
            }
        )
    return records_frame(out)


def status_text(event: str, date: str | None, details: str | None) -> str:
    """'removed by RMI on 2018-09-18: No longer an operating smelter / refiner'."""
    when = f" on {date}" if date else ""
    why = f": {details}" if details else ""
    return f"{event} by RMI{when}{why}"


def _facts(rows: pd.DataFrame) -> pd.DataFrame:
    """Every dated revision as a fact; the ID's latest event again as ``rmi_removed`` (removed
    and not in RMI's current templates) or ``rmi_status``."""
    out = []
    for sid, grp in _ordered(rows).groupby("smelter_id", sort=True):
        events = [r for r in grp.to_dict("records") if _event(r["revision_basis"])]
        for r in events:
            ev = _event(r["revision_basis"])
            text = status_text(ev, r["revision_date"], r["revision_details"])
            if ev == "renamed":
                text += f" (name now '{r['name']}')"
            out.append(
                {
                    "record_ref": sid,
                    "fact": "rmi_revision",
                    "value": text,
                    "observed_on": r["revision_date"],
                    "source_ref": r["ref"],
                }
            )
        dated = [r for r in events if r["revision_date"]]
        if dated:
            r = dated[-1]
            ev = _event(r["revision_basis"])
            text = status_text(ev, r["revision_date"], r["revision_details"])
            listed_now = any(v == "True" for v in grp["in_rmi_reference_latest"])
            if ev == "removed" and listed_now:
                text += " (RMI's current templates list the ID again)"
            out.append(
                {
                    "record_ref": sid,
                    "fact": "rmi_removed" if ev == "removed" and not listed_now else "rmi_status",
                    "value": text,
                    "observed_on": r["revision_date"],
                    "source_ref": r["ref"],
                }
            )
    return pd.DataFrame(out, columns=["record_ref", "fact", "value", "observed_on", "source_ref"])


ALIAS_COLUMNS = ["smelter_id", "alias", "metal", "country", "basis", "source_ref"]


def _aliases(rows: pd.DataFrame) -> pd.DataFrame:
    """Every name an ID carried in RMI's revision log or the 2014 list, with where it was seen."""
    out = []
    for r in _ordered(rows).to_dict("records"):
        ev = _event(r["revision_basis"])
        basis = f"RMI revision log: {ev}" if ev else "CFSI standard smelter list 2014"
        out.append(
            {
                "smelter_id": r["smelter_id"],
                "alias": r["name"],
                "metal": r["metal"],
                "country": r["country"],
                "basis": basis,
                "source_ref": r["ref"],
            }
        )
    df = pd.DataFrame(out, columns=ALIAS_COLUMNS)
    return df.drop_duplicates(["smelter_id", "alias"]).reset_index(drop=True)


def aliases(raw_dir: Path | None = None) -> dict[str, list[str]]:
    """Smelter ID -> every name RMI's revision log and the 2014 list give it (oldest first).

    For the disclosure importer: a brand that prints an old or renamed name resolves to its ID.
    """
    from riskatlas import paths

    table = load(paths.raw_dir(raw_dir)).tables["rmi_aliases"]
    out: dict[str, list[str]] = {}
    for sid, alias in zip(table["smelter_id"], table["alias"], strict=True):
        out.setdefault(sid, []).append(alias)
    return out


LAST_EVENT_COLUMNS = ["smelter_id", "event", "event_date", "details", "name", "metal", "source_ref"]


def last_events(raw_dir: Path | None = None) -> pd.DataFrame:
    """Each ID's latest dated event in RMI's revision log (removed, renamed, ...), one row per ID.

    For the disclosure importer's ID check: an ID a report prints that RMI's current list lacks
    is "removed by RMI on 2018-09-18 (No longer an operating smelter / refiner)" when the log
    says so, rather than merely unknown.
    """
    from riskatlas import paths

    _, rows = _checked(paths.raw_dir(raw_dir))
    out = []
    for sid, grp in _ordered(rows).groupby("smelter_id", sort=True):
        dated = [
            r for r in grp.to_dict("records") if _event(r["revision_basis"]) and r["revision_date"]
        ]
        if dated:
            r = dated[-1]
            out.append(
                {
                    "smelter_id": sid,
                    "event": _event(r["revision_basis"]),
                    "event_date": r["revision_date"],
                    "details": r["revision_details"],
                    "name": r["name"],
                    "metal": r["metal"],
                    "source_ref": r["ref"],
                }
            )
    return pd.DataFrame(out, columns=LAST_EVENT_COLUMNS)
