"""Imports kept on disk by the file's sha256, so a rebuild does not parse the same PDF again."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from riskatlas import paths, pickle_file
from riskatlas.checksum import sha256_file
from riskatlas.importer.model import IMPORTER_VERSION, ImportResult
from riskatlas.importer.rmi_reference import Reference

SUBDIR = "imports"
# Code whose change can change an import's rows: hashed into every key, beside IMPORTER_VERSION.
_PACKAGE = Path(__file__).resolve().parent
_ALSO = ("minerals.py", "countries.py", "brands.py")

ReferenceArg = Reference | Callable[[], Reference | None] | None


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """IMPORTER_VERSION plus a hash of the importer's code and the vocabularies it uses."""
    h = hashlib.sha256(f"v{IMPORTER_VERSION}".encode())
    files = sorted(_PACKAGE.glob("*.py")) + [_PACKAGE.parent / n for n in _ALSO]
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return f"{IMPORTER_VERSION}-{h.hexdigest()[:16]}"


def cache_key(sha256: str, brand: str, year: int | None, reference_key: str) -> str:
    """What an import's rows depend on: the bytes, the brand and year, the code, the RMI list."""
    parts = (sha256, brand, str(year), code_version(), reference_key)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def reference_fingerprint(reference: Reference | None) -> str:
    """A hash of an RMI list's content (ids, minerals, names, countries, aliases, former names)."""
    if reference is None:
        return "none"
    t = reference.table
    h = hashlib.sha256()
    for row in zip(
        t["smelter_id"], t["mineral"], t["standard_smelter_name"], t["country_iso3"], strict=True
    ):
        h.update("\0".join(map(str, row)).encode() + b"\n")
    for aliases in t["aliases"]:
        h.update("|".join(map(str, list(aliases) if aliases is not None else [])).encode())
    for sid, names in sorted((getattr(reference, "former", None) or {}).items()):
        h.update(f"{sid}:{'|'.join(names)}\n".encode())
    return h.hexdigest()


def _entry(directory: Path, sha256: str, brand: str, year: int | None, key: str) -> Path:
    """<file sha>-<brand and year>-<key>.pickle: a newer key replaces only its own entry."""
    who = hashlib.sha256(f"{brand}\0{year}".encode()).hexdigest()[:8]
    return directory / f"{sha256[:16]}-{who}-{key[:16]}.pickle"


def _read(path: Path) -> ImportResult | None:
    return pickle_file.read(path, ImportResult)


def _write(path: Path, result: ImportResult) -> None:
    """Write the entry; entries for the same file under older keys are removed. Errors are
    ignored: without a cache the next run parses again."""
    if not pickle_file.write(path, result):
        return
    prefix = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{prefix}-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)


def cached_import(
    path: str | Path,
    brand: str,
    year: int | None = None,
    *,
    reference: ReferenceArg = None,
    reference_key: str = "",
    directory: str | Path | None = None,
) -> ImportResult:
    """import_report() through an on-disk cache keyed by the file's sha256.

    Why: Samsung's 56-page PDF takes ~5 s of CPU to parse and the build reads it on every run.
    ``reference`` may be a callable, called only on a cache miss, so a warm build does not load
    RMI's list either; ``reference_key`` must then identify that list (raw_reference_key()).
    A hit is marked ``summary['from_cache'] = True``. A file that cannot be imported raises
    ReportError as import_report() does, and nothing is cached for it.
    """
    from riskatlas.importer.report import import_report

    path = Path(path)
    folder = Path(directory) if directory is not None else paths.cache_dir() / SUBDIR
    if not reference_key:
        ref_obj = reference() if callable(reference) else reference
        reference, reference_key = ref_obj, reference_fingerprint(ref_obj)
    sha = sha256_file(path)
    entry = _entry(folder, sha, brand, year, cache_key(sha, brand, year, reference_key))
    hit = _read(entry)
    if hit is not None and hit.sha256 == sha:
        hit.file_name = path.name
        hit.summary = {**hit.summary, "file": path.name, "from_cache": True}
        return hit
    ref = reference() if callable(reference) else reference
    result = import_report(path, brand, year, reference=ref if ref is not None else _NO_REF)
    _write(entry, result)
    return result


class _NoReference(Reference):
    """An empty RMI list: ids still resolve, names cannot (never fall back to a database)."""

    def __init__(self) -> None:
        import pandas as pd

        from riskatlas.importer.rmi_reference import REF_COLUMNS

        super().__init__(pd.DataFrame(columns=REF_COLUMNS), "none (no RMI list in the raw files)")


_NO_REF = _NoReference()
