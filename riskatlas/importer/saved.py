"""Imports a user chose to keep: the original file plus a JSON sidecar, which the build reads.

Layout of the imports directory (``paths.imports_dir()``)::

    <brand_id>_<sha256[:12]>_<original name>        the file, byte for byte
    <brand_id>_<sha256[:12]>_<original name>.json   brand, year, sha256, original_file_name,
                                                    saved_at, saved_by, format, size

Saving the same bytes for the same brand again replaces the sidecar (same file name).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from riskatlas import paths, settings
from riskatlas.brands import brand_id as make_brand_id
from riskatlas.brands import display_name
from riskatlas.importer.model import ReportError

SIDECAR = ".json"
MAX_BYTES = settings.IMPORT_MAX_BYTES.value
FIELDS = ("brand", "year", "sha256", "original_file_name", "saved_at", "saved_by", "approval")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class SavedImport:
    """One saved import: where its file is and what its sidecar says."""

    path: Path  # the stored file
    brand: str
    year: int | None
    sha256: str
    original_file_name: str
    saved_at: str
    saved_by: str | None
    # who approved it, when, with what note, and the submission's id (riskatlas.contrib.
    # import_queue); None for a file saved without review, which the build refuses
    approval: dict | None = None

    @property
    def sidecar(self) -> Path:
        return self.path.with_name(self.path.name + SIDECAR)


def safe_name(file_name: str) -> str:
    """A file name with no directory part and only plain characters (an upload names anything)."""
    base = Path(str(file_name).replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip("._") or "upload"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and stem:
        return f"{stem[:80]}.{ext[:10]}"
    return cleaned[:90]


def check_year(year: object) -> int | None:
    """The reporting year as an int, None if not given; anything else is a ReportError."""
    if year is None or (isinstance(year, str) and not year.strip()):
        return None
    try:
        y = int(str(year).strip())
    except ValueError as exc:
        raise ReportError(f"year must be a number such as 2024, not {year!r}") from exc
    if not 1990 <= y <= dt.date.today().year + 1:
        raise ReportError(f"year {y} is out of range (1990-{dt.date.today().year + 1})")
    return y


def save_import(
    data: bytes,
    file_name: str,
    brand: str,
    year: int | None = None,
    *,
    saved_by: str | None = None,
    directory: str | Path | None = None,
    now: dt.datetime | None = None,
    approval: dict | None = None,
) -> SavedImport:
    """Store an imported file and its sidecar so the next build includes it.

    Called when a maintainer approves a submission (riskatlas.contrib.import_queue), with the
    approval: the build reads only files whose sidecar carries one. The sidecar is written last
    (atomically): a file without a sidecar is not a saved import.
    """
    if not brand or not str(brand).strip():
        raise ReportError("a brand name is needed to save an import")
    if not data:
        raise ReportError(f"{file_name} is empty: nothing to save")
    if len(data) > MAX_BYTES:
        raise ReportError(f"{file_name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    year = check_year(year)
    brand = display_name(str(brand).strip())
    if not make_brand_id(brand):
        raise ReportError(f"the brand name {brand!r} has no letters or digits")
    sha = hashlib.sha256(data).hexdigest()
    folder = paths.imports_dir(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{make_brand_id(brand)}_{sha[:12]}_{safe_name(file_name)}"
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    saved = SavedImport(
        path=stored,
        brand=brand,
        year=year,
        sha256=sha,
        original_file_name=Path(str(file_name).replace("\\", "/")).name or "upload",
        saved_at=when,
        saved_by=(saved_by or "").strip() or None,
        approval=approval,
    )
    _atomic_write(stored, data)
    meta = {k: getattr(saved, k) for k in FIELDS}
    meta["stored_file"] = stored.name
    meta["size"] = len(data)
    _atomic_write(saved.sidecar, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))
    return saved


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_sidecar(sidecar: Path) -> SavedImport:
    """A sidecar and its file, checked: ReportError says what is wrong with it."""
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{sidecar.name}: not a readable JSON sidecar ({exc})") from exc
    if not isinstance(meta, dict):
        raise ReportError(f"{sidecar.name}: the sidecar is not a JSON object")
    missing = [k for k in ("brand", "sha256", "original_file_name") if not meta.get(k)]
    if missing:
        raise ReportError(f"{sidecar.name}: the sidecar lacks {', '.join(missing)}")
    stored = sidecar.with_name(sidecar.name[: -len(SIDECAR)])
    if not stored.is_file():
        raise ReportError(f"{sidecar.name}: its file {stored.name} is missing")
    return SavedImport(
        path=stored,
        brand=str(meta["brand"]),
        year=check_year(meta.get("year")),
        sha256=str(meta["sha256"]),
        original_file_name=str(meta["original_file_name"]),
        saved_at=str(meta.get("saved_at") or ""),
        saved_by=meta.get("saved_by") or None,
        approval=meta.get("approval") if isinstance(meta.get("approval"), dict) else None,
    )


def sidecars(directory: str | Path | None = None) -> list[Path]:
    """Every sidecar in the imports directory, by name; none if the directory does not exist."""
    folder = paths.imports_dir(directory)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*{SIDECAR}") if p.is_file())
