"""EJAtlas documented conflicts: a layer of its own, evidence linked to sites, and e-waste cases.

Why a separate table: an EJAtlas case is a conflict documented by a contributor (a mine, a
dump, a plant that people organised against), not a site of a supply-chain tier. Its point is
the case's mapped location, often a town or project centroid. The build links a case to the
sites it concerns only with a stated basis (riskatlas.conflict_links), and never counts a case
as a site, except for the e-waste cases below.

Rows: one per conflict of the mirror (2,796). A row without attributes (82 ids that found no
match in the attribute tables) is kept as a point with its id and cluster only, flagged
``attributes_missing`` and counted; a row with no usable id or point is a reject.

E-waste rule (also in docs/ejatlas.md): a case becomes an e-waste tier site, citing its case
address, when
  (a) EJAtlas lists the commodity "E-waste"; or
  (b) it is a waste case (category "Waste Management" or a type naming landfills, incinerators,
      waste pickers or waste import zones) and its name or commodities concern
      electronics: the words e-waste, electronic, WEEE, computer, battery/batteries. The type
      "E-waste and other waste import zones" makes a case a waste case but is not enough alone
      (it covers "other waste": petroleum residues, plastics, port cargo).
The point stays the case point (approximate, placed 'city'), its country is read from the last
part of the case name.

Licence: EJAtlas content is for non-commercial use with attribution (see SOURCE.licence); the
Sources page, the report and every export's about sheet state it, and ``build --skip ejatlas``
builds an atlas without it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from riskatlas.countries import to_iso3
from riskatlas.minerals import normalise_many
from riskatlas.sources.base import (
    AdapterResult,
    SourceInfo,
    clean_text,
    read_csv,
    records_frame,
    sha256_file,
    valid_coordinate,
)

FILE = "ejatlas_conflicts_points.csv"
PUBLISHER = "EJAtlas – Global Atlas of Environmental Justice"
CREDIT = f"{PUBLISHER} (ejatlas.org)"
LICENCE = (
    "Non-commercial use only, with attribution: credit EJAtlas – Global Atlas of Environmental "
    "Justice (ejatlas.org) and link each case (described as CC BY-NC-SA 3.0); derived data stay "
    "under the same terms. Build with --skip ejatlas for openly licensed data only."
)
SOURCE = SourceInfo(
    source_id="ejatlas",
    title="EJAtlas – Global Atlas of Environmental Justice: documented conflicts with points",
    publisher="EJAtlas, ICTA, Universitat Autònoma de Barcelona (ejatlas.org); points from the "
    "IPBES SPM.11 case layer, attributes from a 2025 scrape (eliasjacob/ejatlas-data)",
    url="https://ejatlas.org",
    licence=LICENCE,
    data_date="Case records last edited 2019-12 to 2023-10 (attributes scraped 2025-09, "
    "points exported 2025-03)",
    folder="ejatlas_conflicts_points",
    files=(FILE,),
    notes=(
        "A subset: 2,796 of more than 4,000 EJAtlas cases, those with a point in the IPBES export; "
        "absence here does not mean no conflict. Points are the cases' mapped locations, often a "
        "town or project centroid. 82 points found no attributes and are kept as points only. "
        "Each case is advocacy-oriented documentation by a contributor, not an audit. Cases are "
        "their own map layer ('documented conflict (EJAtlas)'), linked to sites only with a stated "
        "basis; e-waste cases also become e-waste sites citing their case."
    ),
    order=110,
)

REQUIRED = (
    "ejatlas_id",
    "slug",
    "conflict_name",
    "url",
    "lat",
    "lon",
    "mobilization_cluster",
    "categories",
    "types",
    "commodities",
    "intensity",
    "project_status",
    "companies",
    "company_countries",
    "environmental_impacts",
    "health_impacts",
    "socio_economic_impacts",
    "last_update",
)
LIST_FIELDS = (
    "categories",
    "types",
    "commodities",
    "companies",
    "company_countries",
    "environmental_impacts",
    "health_impacts",
    "socio_economic_impacts",
)
INTENSITIES = ("LATENT", "LOW", "MEDIUM", "HIGH", "UNKNOWN")
CASE_PREFIX = "https://ejatlas.org/conflict/"
# EJAtlas commodity words the mineral vocabulary does not read (US spelling, grouped names).
COMMODITY_MINERALS = {"aluminum/bauxite": ["aluminium", "bauxite"]}
# Minerals a case's name states in words ("... the cobalt mines of Kolwezi"): EJAtlas's commodity
# list is broad ("Copper" for a cobalt case); the name is the case's own description. Whole
# English words only ("lead" is left out: it is also a verb).
NAMED_MINERALS = re.compile(
    r"\b(gold|copper|cobalt|lithium|tin|tantalum|coltan|tungsten|nickel|zinc|silver|bauxite|"
    r"manganese|platinum|graphite|mica|rare earths?)\b",
    re.IGNORECASE,
)
# The e-waste rule (b): words that tie a waste case to electronics.
ELECTRONICS = re.compile(
    r"\be-?waste\b|\belectronic|\bweee\b|\bcomputer|\bbatter(?:y|ies)\b", re.IGNORECASE
)
WASTE_TYPES = re.compile(
    r"landfills|incinerators|waste-picker|waste import zones|ship-breaking", re.IGNORECASE
)

# An e-waste case's record (and so its site id) is 'ejatlas:<conflict id>', never a bare number.
SITE_REF_PREFIX = "ejatlas:"

CONFLICT_COLUMNS = [
    "conflict_id",
    "slug",
    "name",
    "url",
    "lat",
    "lon",
    "country_iso3",
    "commodities",
    "minerals",
    "companies",
    "company_countries",
    "intensity",
    "intensity_text",
    "project_status",
    "categories",
    "types",
    "environmental_impacts",
    "health_impacts",
    "socio_economic_impacts",
    "last_update",
    "is_ewaste",
    "ewaste_rule",
    "attributes_missing",
    "source_ref",
]


def load(raw_dir: Path) -> AdapterResult:
    """Every conflict with a point (the ``conflicts`` table) and the e-waste cases as records."""
    path = SOURCE.path(raw_dir, FILE)
    header, rows = read_csv(path, SOURCE.source_id, REQUIRED, "EJAtlas conflict")
    result = AdapterResult(source=SOURCE, rows_in=len(rows))
    result.file_hashes[FILE] = sha256_file(path)

    conflicts: dict[str, dict[str, Any]] = {}
    for values in rows:
        if len(values) != len(header):
            result.reject(
                values[0] if values else "?",
                f"{len(values)} fields, expected {len(header)}",
                ",".join(values),
            )
            continue
        row = dict(zip(header, values, strict=True))
        conflict = _conflict(row, result)
        if conflict is None:
            continue
        if conflict["conflict_id"] in conflicts:
            result.reject(conflict["conflict_id"], "conflict id repeated", row)
            continue
        conflicts[conflict["conflict_id"]] = conflict

    frame = pd.DataFrame(list(conflicts.values()), columns=CONFLICT_COLUMNS)
    frame["last_update"] = pd.to_datetime(frame["last_update"]).dt.date
    result.tables["conflicts"] = frame
    ewaste = [c for c in conflicts.values() if c["is_ewaste"]]
    result.tables["records"] = records_frame([_ewaste_record(c) for c in ewaste])
    result.tables["site_facts"] = pd.DataFrame(
        [_citation(c) for c in ewaste],
        columns=["record_ref", "fact", "value", "observed_on", "source_ref"],
    )
    return result


def _conflict(row: dict[str, str], result: AdapterResult) -> dict[str, Any] | None:
    """One conflicts row, or None after rejecting the row with its reason."""
    ref = clean_text(row["ejatlas_id"])
    if ref is None or not ref.isdecimal():
        result.reject(ref or "?", f"conflict id is not a number: {ref!r}", row)
        return None
    problem = valid_coordinate(row["lat"], row["lon"])
    if problem:
        result.reject(ref, problem, row)
        return None
    slug = clean_text(row["slug"])
    url = case_url(row["url"])
    if url is not None and not url.startswith(CASE_PREFIX):
        result.reject(ref, f"case address is not an ejatlas.org case: {url[:80]!r}", row)
        return None
    update = clean_text(row["last_update"])
    if update is not None:
        try:
            day = dt.date.fromisoformat(update)
        except ValueError:
            result.reject(ref, f"last_update is not a date: {update[:40]!r}", row)
            return None
        if not dt.date(1990, 1, 1) <= day <= dt.date.today():
            result.reject(ref, f"last_update out of range: {update}", row)
            return None
    lists = {f: _split(row[f]) for f in LIST_FIELDS}
    name = clean_text(row["conflict_name"])
    level, text = _intensity(row["intensity"])
    rule = ewaste_rule(name, lists["categories"], lists["types"], lists["commodities"])
    return {
        "conflict_id": ref,
        "slug": slug,
        "name": name,
        "url": url,
        "lat": float(row["lat"]),
        "lon": float(row["lon"]),
        "country_iso3": country_of(name),
        "commodities": lists["commodities"],
        "minerals": minerals_of(lists["commodities"], name),
        "companies": lists["companies"],
        "company_countries": lists["company_countries"],
        "intensity": level,
        "intensity_text": text,
        "project_status": clean_text(row["project_status"]),
        "categories": lists["categories"],
        "types": lists["types"],
        "environmental_impacts": lists["environmental_impacts"],
        "health_impacts": lists["health_impacts"],
        "socio_economic_impacts": lists["socio_economic_impacts"],
        "last_update": update,
        "is_ewaste": rule is not None,
        "ewaste_rule": rule,
        "attributes_missing": slug is None and name is None and url is None,
        "source_ref": url or f"EJAtlas conflict id {ref}",
    }


def case_url(value: Any) -> str | None:
    """The case address with its slug percent-encoded (a few slugs hold spaces or quotes)."""
    url = clean_text(value)
    if url is None or not url.startswith(CASE_PREFIX):
        return url
    return CASE_PREFIX + quote(url[len(CASE_PREFIX) :].strip(), safe="-._~%")


def _split(value: Any) -> list[str]:
    """EJAtlas multi-valued cells are joined with ' | '."""
    return [t for t in (clean_text(p) for p in str(value or "").split("|")) if t]


def _intensity(value: Any) -> tuple[str | None, str | None]:
    """('HIGH', 'HIGH (widespread, mass mobilization ...)') from the EJAtlas text."""
    text = clean_text(value)
    if text is None:
        return None, None
    word = text.split(" ", 1)[0].upper()
    return (word if word in INTENSITIES else None), text


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def country_of(name: str | None) -> str | None:
    """ISO3 of the country EJAtlas names at the end of a case name ('..., Perú'), else None."""
    if not name or "," not in name:
        return None
    return to_iso3(_fold(name.rsplit(",", 1)[1].strip()))


def minerals_of(commodities: list[str], name: str | None = None) -> list[str]:
    """Commodities in the atlas's mineral vocabulary ('Gold' -> gold; others are dropped), then
    the minerals the case's name states ('cobalt mines of Kolwezi' -> cobalt)."""
    out: list[str] = []
    named = [m.group(1) for m in NAMED_MINERALS.finditer(name or "")]
    for c in [*commodities, *named]:
        for m in COMMODITY_MINERALS.get(c.lower()) or normalise_many([c]):
            if m not in out:
                out.append(m)
    return out


def ewaste_rule(
    name: str | None, categories: list[str], types: list[str], commodities: list[str]
) -> str | None:
    """Which part of the e-waste rule a case meets (see the module docstring), or None."""
    if "E-waste" in commodities:
        return "commodity E-waste"
    is_waste = "Waste Management" in categories or any(WASTE_TYPES.search(t) for t in types)
    if not is_waste:
        return None
    for what, texts in (("name", [name or ""]), ("commodity", commodities)):
        for t in texts:
            hit = ELECTRONICS.search(t)
            if hit:
                return f"waste case whose {what} concerns electronics ({hit.group(0)!r})"
    return None


def _ewaste_record(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "source_ref": SITE_REF_PREFIX + c["conflict_id"],
        "name": c["name"] or f"EJAtlas conflict {c['conflict_id']}",
        "tier": "ewaste",
        "lat": c["lat"],
        "lon": c["lon"],
        "geo_precision": "city",
        "geo_note": "EJAtlas case point: the case's mapped location, often a town or project "
        "centroid, not a site boundary",
        "country_iso3": c["country_iso3"],
        "country_raw": None,
        "province": None,
        "city": None,
        "address": None,
        "minerals": c["minerals"],
        "rmi_id": None,
        "ejatlas_rule": c["ewaste_rule"],
    }


def _citation(c: dict[str, Any]) -> dict[str, Any]:
    """The case as the site's citation ('case_citation': its own code, as the catalogue names
    one source per fact code; the e-waste tooltips and the Site page read it with 'citation')."""
    update = c["last_update"]
    return {
        "record_ref": SITE_REF_PREFIX + c["conflict_id"],
        "fact": "case_citation",
        # 'Title. Publisher, Year. URL', the shape the Site page and tooltips read (ui.data)
        "value": f"{c['name']} (EJAtlas case, last updated {update or 'n.d.'}). {PUBLISHER}, "
        f"{(update or 'n.d.')[:4]}. {c['url']}",
        "observed_on": dt.date.fromisoformat(update) if update else None,
        "source_ref": c["source_ref"],
    }
