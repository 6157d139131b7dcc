"""Reusable benchmark inputs: synthetic atlases and SQLite copies keyed by what they derive from.

Inputs are not figures: a synthetic database drawn from an unchanged real database with the same
generator code is the same file, so a rerun reuses it. Every figure is still measured afresh.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from bench import datasette_cmp, synthetic
from riskatlas import sql


def fingerprint(db: Path) -> str:
    """Content hash of every table of an atlas (row hashes summed), independent of build time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [t for (t,) in sql.execute(con, "bench_fingerprint_tables").fetchall()]
        h = hashlib.sha256()
        for t in names:
            row = sql.execute(con, "bench_table_hash", {"table": t}).fetchone()
            h.update(f"{t}:{row[0]}:{row[1]};".encode())
    finally:
        con.close()
    return h.hexdigest()[:16]


def _code_hash(*modules, files: tuple[Path, ...] = ()) -> str:
    h = hashlib.sha256()
    for path in [Path(m.__file__) for m in modules] + sorted(files):
        h.update(path.read_bytes())
    return h.hexdigest()[:8]


def _generator_hash() -> str:
    """The code a synthetic atlas comes from: the generator and the build's derived tables
    (with the view queries riskatlas.derived_views runs at build time)."""
    from riskatlas import derived, derived_views, sql

    files = (
        *sql.QUERIES.glob("derive_*.sql"),
        *sql.QUERIES.glob("bench_synthetic_*.sql"),
        sql.QUERIES / "schema_derived.sql",
        *(sql.QUERIES / f"{q}.sql" for q in derived_views.VIEW_QUERIES),
    )
    return _code_hash(synthetic, derived, derived_views, files=files)


def synthetic_db(real_db: Path, real_key: str, n: int, workdir: Path) -> tuple[Path, float | None]:
    """The synthetic atlas of ``n`` sites (made now, or reused); seconds taken if made now."""
    path = workdir / f"syn_{n}_{real_key}_{_generator_hash()}.duckdb"
    if path.is_file():
        return path, None
    tmp = path.with_suffix(".tmp.duckdb")
    info = synthetic.make(real_db, n, tmp)
    tmp.rename(path)
    return path, info["seconds"]


def sqlite_copy(duck_db: Path, name: str, workdir: Path) -> tuple[Path, float | None]:
    """The SQLite copy Datasette serves (made now, or reused); seconds taken if made now.

    ``name`` must identify the content of ``duck_db`` (a fingerprint or a synthetic db's name).
    """
    files = tuple(sql.QUERIES / f"{q}.sql" for q in datasette_cmp.SQL_FILES)
    path = workdir / f"{name}_{_code_hash(datasette_cmp, files=files)}.sqlite"
    if path.is_file():
        return path, None
    tmp = path.with_suffix(".tmp.sqlite")
    seconds = datasette_cmp.to_sqlite(duck_db, tmp)
    tmp.rename(path)
    return path, seconds


def prune(workdir: Path, real_key: str) -> list[str]:
    """Delete this cache's files derived from an older real database (they are never reused)."""
    removed = []
    for pattern in ("syn_*.duckdb", "syn_*.sqlite", "real_*.sqlite"):
        for path in workdir.glob(pattern):
            if real_key not in path.name:
                path.unlink(missing_ok=True)
                removed.append(path.name)
    return removed
