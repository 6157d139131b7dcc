"""Brand lists as source-adapter tables: one record per smelter, one link per listing, and the
RMI list they are resolved against.

Shared by the adapters that read brand disclosures through the importer (Samsung's PDF, the
Form SD filings, saved imports), so their rows are treated the same way. It lives with the
sources, not in riskatlas.importer: the sources use the importer, the importer never imports a
source (so the RMI adapter is handed to the importer's reference loader from here). Every row found is a
link or a reject with its reason; a row that does not resolve to an RMI id still becomes a
record, keyed by the id the brand printed (CIDSN2285) or by its name and country.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from riskatlas import paths
from riskatlas.brands import brand_id as make_brand_id
from riskatlas.importer import rmi_reference
from riskatlas.importer.model import ImportResult
from riskatlas.importer.rmi_reference import Reference, country_iso3, smelter_key
from riskatlas.sources import rmi, rmi_retired
from riskatlas.sources.base import AdapterResult, clean_text, records_frame

TIER = "smelter_refiner"
RMI_ID = re.compile(r"CID\d{6}")
# Any CID-style id a brand prints: RMI ids and brand-assigned ones such as CIDSN2285.
ANY_CID = re.compile(r"CID[A-Z]{0,2}\d{3,6}")
PLACEHOLDERS = {"", "-", "--", "n/a", "unknown", "none"}
RAW_FIELDS = (
    "ref", "section", "metal", "smelter_name", "country", "id_as_reported", "status_as_reported",
    "smelter_id", "resolved_by", "match_score", "candidate_id", "text",
)  # fmt: skip
LINK_COLUMNS = ["brand", "record_ref", "relation", "mineral", "year", "source_ref"]

Cite = Callable[[dict[str, Any]], str]


def read_rmi(raw_dir: Path) -> pd.DataFrame:
    """RMI's smelter list as the RMI adapter reads it from the raw templates."""
    return rmi.load(raw_dir).tables["rmi_reference"]


def raw_reference(raw: str | Path | None = None) -> Reference | None:
    """The RMI list from the raw files (the RMI adapter, else the mirror CSV), never a database:
    what the build's brand adapters resolve against (riskatlas.importer.rmi_reference.raw_reference)."""
    return with_revisions(rmi_reference.raw_reference(raw, read_rmi), raw)


def raw_reference_key(raw: str | Path | None = None) -> str:
    """A fingerprint of what raw_reference() reads, the RMI adapter's code included."""
    key = rmi_reference.raw_reference_key(raw, Path(rmi.__file__))
    log = paths.raw_dir(raw) / rmi_retired.SOURCE.folder / rmi_retired.FILE
    if log.is_file():  # the revision log the ID check reads changes what an import flags
        st = log.stat()
        key = f"{key}|{st.st_size}|{st.st_mtime_ns}"
    return key


def load_reference(db: str | Path | None = None, raw: str | Path | None = None) -> Reference | None:
    """The RMI reference: the atlas database's table, else the RMI templates, else the CSV."""
    return with_revisions(rmi_reference.load_reference(db, raw, read_rmi), raw)


@functools.lru_cache(maxsize=2)
def _revisions(raw: str, mtime_ns: int) -> pd.DataFrame:
    return rmi_retired.last_events(Path(raw))


def revisions(raw: str | Path | None = None) -> pd.DataFrame | None:
    """RMI's revision log, the latest dated event per id, read once per file version; None when
    the mirror lacks it or it cannot be read (ids are then checked against the list alone)."""
    rawp = paths.raw_dir(raw)
    f = rawp / rmi_retired.SOURCE.folder / rmi_retired.FILE
    if not f.is_file():
        return None
    try:
        return _revisions(str(rawp), f.stat().st_mtime_ns)
    except Exception:  # noqa: BLE001 - a damaged log: ids are still checked against the list
        return None


def with_revisions(reference: Reference | None, raw: str | Path | None = None):
    """The reference with RMI's revision log attached, so the importer's ID check can say
    "removed by RMI on DATE (reason)" (the importer itself reads no source)."""
    if reference is None:
        return None
    return dataclasses.replace(reference, revisions=revisions(raw))


def or_none(value: Any) -> str | None:
    """Cleaned text, with the placeholders brands print for 'not given' ('-', 'UNKNOWN') as None."""
    s = clean_text(value)
    return None if s is None or s.lower() in PLACEHOLDERS else s


def rmap_status(status: str | None) -> str | None:
    """RMI status in words: Rockwell marks conformant smelters with '*' and leaves others blank."""
    return "Conformant" if status == "*" else status


def file_cite(result: ImportResult) -> Cite:
    """'<file> (sha256 <12 hex>), <page or table row>[, no. <printed row number>]'."""

    def cite(row: dict[str, Any]) -> str:
        ref = row["ref"]
        no = clean_text(row.get("row_no"))
        extra = f", no. {no}" if no and "row" not in ref else ""
        return f"{result.file_name} (sha256 {result.sha256[:12]}), {ref}{extra}"

    return cite


def record_key(row: dict[str, Any]) -> tuple[str, str | None]:
    """(record source_ref, rmi_id) for a row: its RMI id, else the id it prints, else its name.

    Why: an unresolved row is never dropped; it stays a smelter of its own, keyed so that the
    same printed id, or the same name in the same country, is one record across brands.
    """
    sid = row.get("smelter_id")
    if isinstance(sid, str) and RMI_ID.fullmatch(sid):
        return sid, sid
    printed = clean_text(row.get("id_as_reported"))
    problem = row.get("id_problem")
    if isinstance(problem, str) and problem and printed and RMI_ID.fullmatch(printed.upper()):
        # An id RMI's current list lacks (retired or never listed) still names that smelter:
        # the brand lists it, as the Brands page's "removed by RMI" section shows. An id RMI
        # gives another company or metal names nobody: the row is keyed by its name below.
        if str(row.get("id_in_reference")) != "True":
            return printed.upper(), printed.upper()
        printed = None
    if printed and ANY_CID.fullmatch(printed.upper()):
        return printed.upper(), None
    name = clean_text(row.get("smelter_name"))
    if name:
        key = smelter_key(name) or name.lower()
        iso3 = country_iso3(row.get("country"))
        return f"name:{key}" + (f"@{iso3}" if iso3 else ""), None
    return f"id:{printed}", None


def _raw(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in RAW_FIELDS if k in row}


def _unique(refs: list[str]) -> list[str]:
    """Refs made unique in file order: a PDF page without row numbers gives 'entry 1, 2...'."""
    counts = Counter(refs)
    seen: Counter = Counter()
    out = []
    for r in refs:
        if counts[r] > 1:
            seen[r] += 1
            out.append(f"{r}, entry {seen[r]}")
        else:
            out.append(r)
    return out


def _fullness(link: dict[str, Any]) -> tuple[bool, bool]:
    """(has a real name, not just an id; has a status): which of two listings to keep."""
    name = link["name_as_reported"]
    return bool(name) and not ANY_CID.fullmatch(name), bool(link["status_as_reported"])


def _most_common(values: list[str | None]) -> str | None:
    """Most frequent non-empty value, first seen wins a tie (deterministic given file order)."""
    vals = [v for v in values if v]
    if not vals:
        return None
    counts = Counter(vals)
    best = max(counts.values())
    return next(v for v in vals if counts[v] == best)


@dataclass
class Listings:
    """Links, rejects and the row count gathered from one or more imports."""

    rows_in: int = 0
    candidates: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    rejects: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def add(
        self,
        result: ImportResult,
        brand: str,
        year: int | None,
        cite: Cite | None = None,
        extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        """Every row of one import: a candidate link, or a reject with its reason."""
        cite = cite or file_cite(result)
        rows = result.rows.to_dict("records")
        skipped = [{**s, "row_no": None} for s in result.skipped]
        rejected = [{**s, "row_no": None} for s in getattr(result, "rejected", [])]
        refs = _unique([cite(r) for r in rows] + [cite(s) for s in [*skipped, *rejected]])
        self.rows_in += len(rows) + len(skipped) + len(rejected)
        for s, ref in zip(skipped, refs[len(rows) : len(rows) + len(skipped)], strict=True):
            self.rejects.append((ref, "no smelter id or name in this table line", _raw(s)))
        for s, ref in zip(rejected, refs[len(rows) + len(skipped) :], strict=True):
            self.rejects.append((ref, s["reason"], _raw(s)))
        for row, ref in zip(rows, refs[: len(rows)], strict=True):
            if row.get("removed_section"):
                reason = f"listed under a 'removed' title: {row.get('section')}"
                self.rejects.append((ref, reason, _raw(row)))
                continue
            mineral = row.get("metal")
            if not isinstance(mineral, str) or not mineral:
                reason = (
                    f"no metal: neither the row ({row.get('metal_as_reported')!r}), its table "
                    "title nor RMI's list for its id gives one"
                )
                self.rejects.append((ref, reason, _raw(row)))
                continue
            record_ref, rmi_id = record_key(row)
            status = or_none(row.get("status_as_reported"))
            score = row.get("match_score")
            link = {
                "brand": brand,
                "record_ref": record_ref,
                "relation": "lists_smelter",
                "mineral": mineral,
                "year": year,
                "source_ref": ref,
                "status_as_reported": status,
                "rmap_status": rmap_status(status),
                "name_as_reported": clean_text(row.get("smelter_name")),
                "country_as_reported": or_none(row.get("country")),
                "direct_sourcing": clean_text(row.get("direct_sourcing")),
                "indirect_sourcing": clean_text(row.get("indirect_sourcing")),
                "origin_as_reported": clean_text(row.get("origin_as_reported")),
                "id_as_reported": clean_text(row.get("id_as_reported")),
                "resolved_by": row.get("resolved_by"),
                "match_score": None if score is None or pd.isna(score) else float(score),
                "rmi_id": rmi_id,
                "file_name": result.file_name,
                "file_sha256": result.sha256,
                "ref_in_file": row.get("ref"),
            }
            if extra is not None:
                link.update(extra(row))
            self.candidates.append((link, row))

    def _kept(self) -> tuple[list[dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
        """Links without duplicates: of two listings of one smelter for one metal by one brand,
        the fuller one (a name, a status) is kept, then the first."""
        groups: dict[tuple, list[int]] = {}
        for i, (lk, _) in enumerate(self.candidates):
            key = (make_brand_id(lk["brand"]), lk["mineral"], lk["record_ref"])
            groups.setdefault(key, []).append(i)
        keep_of: dict[int, int] = {}
        for idx in groups.values():
            if len(idx) > 1:
                best = max(idx, key=lambda i: (_fullness(self.candidates[i][0]), -i))
                keep_of.update({i: best for i in idx if i != best})
        links, rejects = [], []
        for i, (lk, row) in enumerate(self.candidates):
            if i in keep_of:
                kept = self.candidates[keep_of[i]][0]["source_ref"]
                rejects.append(
                    (lk["source_ref"], f"duplicate (brand, metal, smelter) of {kept}", _raw(row))
                )
            else:
                links.append(lk)
        return links, rejects

    def apply(self, out: AdapterResult) -> None:
        """Put rows_in, rejects, ``records`` and ``links`` into an adapter's result."""
        links, dup_rejects = self._kept()
        out.rows_in += self.rows_in
        for ref, reason, raw in [*self.rejects, *dup_rejects]:
            out.reject(ref, reason, raw)
        out.tables["records"] = smelter_records(links)
        frame = pd.DataFrame(links) if links else pd.DataFrame(columns=LINK_COLUMNS)
        if "match_score" in frame:  # float even when no row has a score (concat-stable dtype)
            frame["match_score"] = pd.to_numeric(frame["match_score"]).astype(float)
        out.tables["links"] = frame.sort_values("source_ref").reset_index(drop=True)


def smelter_records(links: list[dict[str, Any]]) -> pd.DataFrame:
    """One record per smelter from its links: the most common printed name and country.

    Why: one smelter can be listed for several metals or by several brands; the site is one.
    Names that are only an id are used only if there is no other.
    """
    by_ref: dict[str, list[dict[str, Any]]] = {}
    for lk in links:
        by_ref.setdefault(lk["record_ref"], []).append(lk)
    out = []
    for ref, ls in by_ref.items():
        names = [lk["name_as_reported"] for lk in ls]
        real = [n for n in names if n and not ANY_CID.fullmatch(n)]
        countries = [lk["country_as_reported"] for lk in ls]
        country = _most_common([c for c in countries if country_iso3(c)]) or _most_common(countries)
        rmi_id = ls[0]["rmi_id"]
        out.append(
            {
                "source_ref": ref,
                "name": _most_common(real) or _most_common(names),
                "tier": TIER,
                "lat": None,
                "lon": None,
                "geo_precision": None,
                "country_iso3": country_iso3(country),
                "country_raw": country,
                "province": None,
                "city": None,
                "address": None,
                "minerals": sorted({lk["mineral"] for lk in ls}),
                "rmi_id": rmi_id,
                "non_rmi_id": rmi_id is None and not ref.startswith(("name:", "id:")),
                "name_only": ref.startswith("name:"),
            }
        )
    if not out:
        return records_frame([]).assign(non_rmi_id=pd.Series(dtype=bool))
    return records_frame(out).sort_values("source_ref").reset_index(drop=True)
