"""RMI's smelter list as the importer reads it: from an atlas, the RMI templates or the mirror CSV.

Why apart from the matching (riskatlas.importer.rmi_match): where the list comes from (a
database an earlier build wrote, the raw templates through the RMI adapter, the mirror's CSV),
how it is cached per process and fingerprinted, and how names and countries are keyed, are one
job; deciding which smelter a report's row means is another.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from unidecode import unidecode

from riskatlas import paths, schema, sql
from riskatlas.brands import LEGAL_FORMS
from riskatlas.countries import to_iso3
from riskatlas.importer.renames import former_names, former_names_file
from riskatlas.minerals import normalise

# The rmi_reference columns (queries/schema_core.sql) the importer reads and builds from the CSV;
# the rmi adapter adds these after them.
_ADAPTER_ONLY = ("latest_template", "templates_seen", "source_id")
REF_COLUMNS = [c for c in schema.columns("rmi_reference") if c not in _ADAPTER_ONLY]
REFERENCE_CSV = Path("rmi_smelter_reference_list") / "rmi_smelter_facilities_latest.csv"

LEGAL_WORDS = LEGAL_FORMS | {
    "cjsc", "cv", "jsc", "kg", "lda", "ltda", "ojsc", "oao", "ooo", "oyj", "pjsc", "pt", "pvt",
    "private", "sarl", "sarlu", "sasu", "sl", "slu", "sprl", "sro", "tbk", "zao", "the",
}  # fmt: skip


def smelter_key(name: object, keep_legal: bool = False) -> str:
    """A smelter name reduced for matching: accents, case, punctuation and legal forms removed.

    "Jiangxi Copper Co., Ltd." and "JIANGXI COPPER COMPANY LIMITED" both give "jiangxi copper".
    With ``keep_legal`` the legal forms stay: the tie-breaker between "TANIOBIS Co., Ltd."
    and "TANIOBIS GmbH", two RMI smelters.
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    s = unidecode(str(name)).lower().replace("&", " and ").replace("+", " and ")
    s = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", ""), s)  # S.A. -> sa
    s = re.sub(r"['’`]", "", s)
    words = re.sub(r"[^a-z0-9]+", " ", s).split()
    kept = words if keep_legal else [w for w in words if w not in LEGAL_WORDS]
    return " ".join(kept or words)


def country_iso3(country: object) -> str | None:
    """ISO3 of a printed country ("KOREA, REPUBLIC OF", "DRC", "Perú"), None if not a country."""
    if country is None or (isinstance(country, float) and np.isnan(country)):
        return None
    s = str(country).strip()
    if not s:
        return None
    return to_iso3(s) or to_iso3(unidecode(s))


def reference_from_csv(path: Path) -> pd.DataFrame:
    """The ``rmi_reference`` table built from the mirror's rmi_smelter_facilities_latest.csv.

    Why: a user without an atlas database can still resolve a report; the columns are the
    contract's, so the rest of the importer does not care where the list came from.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame(
        {
            "smelter_id": df["smelter_id"].str.strip(),
            "metal": df["metal"].str.strip(),
            "mineral": [_one_mineral(m) for m in df["metal"]],
            "standard_smelter_name": df["standard_smelter_name"].str.strip(),
            "country_iso3": [country_iso3(c) for c in df["country"]],
            "country_raw": df["country"].str.strip(),
            "state_province": df.get("state_province", ""),
            "city": df.get("city", ""),
            "aliases": [[a.strip() for a in s.split("|") if a.strip()] for s in df["aliases"]],
            "in_latest_template": df.get("in_latest_template", "True").astype(str).eq("True"),
        }
    )
    return out[REF_COLUMNS]


def _one_mineral(metal: object) -> str | None:
    got = normalise(metal)
    return got[0] if len(got) == 1 else None


def reference_from_db(db: Path) -> pd.DataFrame | None:
    """The ``rmi_reference`` table of an atlas database, or None if it has none."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in sql.execute(con, "catalog_names").fetchall()}
        if "rmi_reference" not in tables:
            return None
        return sql.run(con, "rmi_reference_all")
    finally:
        con.close()


@dataclass
class Reference:
    """The RMI list the importer resolves against, and where it came from (for the summary).

    ``former`` holds names RMI gave its smelters before ({id: [name, ...]}, see renames.py);
    they resolve a row like aliases do, and the row says so.
    """

    table: pd.DataFrame
    origin: str
    former: dict[str, list[str]] = field(default_factory=dict)
    # RMI's revision log, the latest dated event per id (removed, renamed ...), for the ID
    # check; handed in by riskatlas.sources.brand_lists (the importer reads no source itself).
    revisions: pd.DataFrame | None = None


# Reads the RMI list from the raw RMI templates (the RMI source adapter, handed in by
# riskatlas.sources.brand_lists: the importer does not import the source adapters).
RmiReader = Callable[[Path], pd.DataFrame]


@functools.lru_cache(maxsize=4)
def _cached(kind: str, path: str, mtime: float, read_rmi: RmiReader | None = None):
    if kind == "db":
        return reference_from_db(Path(path))
    if kind == "rmi":
        return read_rmi(Path(path)) if read_rmi is not None else None
    return reference_from_csv(Path(path))


def load_reference(
    db: str | Path | None = None,
    raw: str | Path | None = None,
    read_rmi: RmiReader | None = None,
) -> Reference | None:
    """The RMI reference: the atlas database's table, else the RMI templates (through
    ``read_rmi``, when given), else the mirror CSV.

    An explicit ``db`` that does not exist is an error; the default database is used only if
    it exists. None if no reference can be found (ids still resolve, names cannot).
    """
    from riskatlas.importer.model import ReportError

    dbp = paths.db_path(db)
    if db is not None and not dbp.is_file():
        raise ReportError(f"database not found: {dbp}")
    if dbp.is_file():
        try:
            t = _cached("db", str(dbp), dbp.stat().st_mtime)
        except Exception as exc:  # a locked or damaged database: say so, then fall back
            if db is not None:
                raise ReportError(f"cannot read rmi_reference from {dbp}: {exc}") from exc
            t = None
        if t is not None:
            return Reference(t, f"rmi_reference table of {dbp}", former_names(raw))
    return raw_reference(raw, read_rmi)


def raw_reference(
    raw: str | Path | None = None, read_rmi: RmiReader | None = None
) -> Reference | None:
    """The RMI list from the raw files only (the RMI templates through ``read_rmi``, else the
    mirror CSV), never a database; riskatlas.sources.brand_lists.raw_reference hands in the RMI
    adapter.

    Why: the build's brand adapters must not depend on a database an earlier build wrote.
    Loaded once per process and raw directory.
    """
    rawp = paths.raw_dir(raw)
    try:
        t = _cached("rmi", str(rawp), 0.0, read_rmi) if read_rmi is not None else None
        if t is not None and len(t):
            origin = f"RMI templates in {rawp} (riskatlas.sources.rmi)"
            return Reference(t, origin, former_names(rawp))
    except Exception:  # the adapter or its files are missing: use the CSV below
        pass
    csvp = rawp / REFERENCE_CSV
    if csvp.is_file():
        t = _cached("csv", str(csvp), csvp.stat().st_mtime)
        return Reference(t, str(csvp), former_names(rawp))
    return None


def raw_reference_key(raw: str | Path | None = None, reader_code: Path | None = None) -> str:
    """A fingerprint of what raw_reference() would read (file names, sizes, mtimes, and the code
    of the reader that parses the templates, ``reader_code``), cheap enough to key a cache
    without loading the list."""
    import hashlib

    rawp = paths.raw_dir(raw)
    h = hashlib.sha256(reader_code.read_bytes() if reader_code is not None else b"")
    folder = rawp / REFERENCE_CSV.parent
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if former_names_file(rawp).is_file():
        files.append(former_names_file(rawp))
    for p in files:
        st = p.stat()
        h.update(f"|{p.relative_to(rawp)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()
