"""The one declaration of every table's columns and types: ``queries/schema_<area>.sql``.

Why: the layout used to be written out in six modules and again in the test fixtures, and the
copies drifted apart. Now the DDL files are the only place; the build, the derived steps, the
contributions store and the fixtures create their tables from here, and
:func:`differences` compares a database with the declaration, so a column added, dropped,
renamed or retyped anywhere else fails a test (tests/test_schema.py) and the build.

Areas: ``core`` (what the build writes from the adapters), ``derived`` (scores, inferred exposure
and the tables the pages read), ``contrib`` (the contributions database, a separate file) and
``stage`` (frames passed between steps inside the build, never written: the adapters' records).

Each file holds one plain ``CREATE TABLE|VIEW|SEQUENCE name ...`` statement per object; the
caller chooses how it is run (:func:`create`: plain, ``OR REPLACE`` or ``IF NOT EXISTS``).
The column types are read by running the statements in an in-memory DuckDB, so what is declared
is what DuckDB makes of it (``VARCHAR[]``, ``UHUGEINT``), never a second hand-written parse.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from riskatlas import sql
from riskatlas.sql import QUERIES

AREAS = ("core", "derived", "contrib", "stage")
ATLAS_AREAS = ("core", "derived")  # what a build writes into the atlas file

_HEAD = re.compile(
    r"^\s*CREATE\s+(TABLE|VIEW|SEQUENCE)\s+(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE
)
_MODES = {"plain": "", "replace": "OR REPLACE ", "if_not_exists": ""}


class SchemaError(Exception):
    """A table or column that the declaration does not know, or a database that disagrees."""


@dataclass(frozen=True)
class Declared:
    """One object of a schema file: its kind (table, view, sequence), area and statement."""

    name: str
    kind: str
    area: str
    statement: str


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


def parse(text: str, area: str = "") -> dict[str, Declared]:
    """The objects declared in one schema file's text, in file order."""
    out: dict[str, Declared] = {}
    for stmt in re.split(r";\s*(?:\n|$)", _strip_comments(text)):
        if not stmt.strip():
            continue
        m = _HEAD.match(stmt)
        if not m:
            raise SchemaError(f"schema_{area}.sql: not a CREATE TABLE/VIEW/SEQUENCE: {stmt[:60]!r}")
        name = m.group(2).strip('"')
        if name in out:
            raise SchemaError(f"schema_{area}.sql: {name} declared twice")
        out[name] = Declared(name, m.group(1).lower(), area, stmt.strip())
    return out


@functools.lru_cache(maxsize=8)
def objects(area: str) -> dict[str, Declared]:
    """Everything ``queries/schema_<area>.sql`` declares."""
    if area not in AREAS:
        raise SchemaError(f"unknown schema area {area!r}: one of {', '.join(AREAS)}")
    return parse((QUERIES / f"schema_{area}.sql").read_text(encoding="utf-8"), area)


def _find(name: str) -> Declared:
    for area in AREAS:
        found = objects(area).get(name)
        if found is not None:
            return found
    raise SchemaError(f"table {name!r} is not declared in queries/schema_*.sql")


def statement(name: str, mode: str = "plain") -> str:
    """The CREATE statement of ``name``; ``mode`` is plain, replace or if_not_exists."""
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {', '.join(_MODES)}")
    d = _find(name)
    m = _HEAD.match(d.statement)
    kind = m.group(1).upper()
    head = f"CREATE {_MODES[mode]}{kind} {'IF NOT EXISTS ' if mode == 'if_not_exists' else ''}"
    return head + d.statement[m.start(2) :]


def create(con: duckdb.DuckDBPyConnection, name: str, mode: str = "plain") -> None:
    """Create one declared table, view or sequence in ``con``."""
    con.execute(statement(name, mode))


def create_all(
    con: duckdb.DuckDBPyConnection, area: str, mode: str = "plain", skip: tuple[str, ...] = ()
) -> None:
    """Create everything one area declares, in file order (sequences before their tables)."""
    for name in objects(area):
        if name not in skip:
            create(con, name, mode)


def layout_of(objs: dict[str, Declared]) -> dict[str, list[tuple[str, str]]]:
    """Columns and DuckDB types of the tables and views in ``objs``, as DuckDB reads the DDL."""
    con = duckdb.connect()
    try:
        for d in objs.values():
            con.execute(d.statement)
        return _columns(con)
    finally:
        con.close()


@functools.lru_cache(maxsize=8)
def _layout(areas: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    objs: dict[str, Declared] = {}
    for area in areas:
        objs.update(objects(area))
    return layout_of(objs)


def layout(*areas: str) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, type), ...]} of the given areas (default: the atlas's)."""
    return {t: list(c) for t, c in _layout(tuple(areas or ATLAS_AREAS)).items()}


def tables(*areas: str) -> list[str]:
    """The tables (and views) declared in the given areas, in file order."""
    names = []
    for area in areas or ATLAS_AREAS:
        names += [d.name for d in objects(area).values() if d.kind != "sequence"]
    return names


def columns(table: str) -> list[str]:
    """The declared columns of one table, in order."""
    d = _find(table)
    return [c for c, _ in _layout((d.area,))[table]]


def types(table: str) -> dict[str, str]:
    """{column: DuckDB type} of one declared table."""
    d = _find(table)
    return dict(_layout((d.area,))[table])


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(sql.load("table_columns")).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def actual(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, type), ...]} of the tables and views a database holds."""
    return _columns(con)


def differences(
    con: duckdb.DuckDBPyConnection,
    areas: tuple[str, ...] = ATLAS_AREAS,
    *,
    complete: bool = True,
    declared: dict[str, list[tuple[str, str]]] | None = None,
) -> list[str]:
    """Where the database ``con`` disagrees with the declaration, one line each (empty: none).

    A table the database holds that is not declared, a column missing, extra, out of order or of
    another type. With ``complete`` a declared table the database lacks is a difference too (a
    hand-made fixture holds only some tables: ``complete=False``). ``declared`` replaces the
    files' layout (the tests check the checker with a deliberately drifted one).
    """
    want = declared if declared is not None else layout(*areas)
    have = actual(con)
    out = [f"{t}: table not declared in queries/schema_*.sql" for t in have if t not in want]
    if complete:
        out += [f"{t}: declared but missing" for t in want if t not in have]
    for t in want:
        if t not in have:
            continue
        w, h = dict(want[t]), dict(have[t])
        out += [f"{t}.{c}: declared but missing" for c in w if c not in h]
        out += [f"{t}.{c}: not declared" for c in h if c not in w]
        out += [f"{t}.{c}: declared {w[c]}, is {h[c]}" for c in w if c in h and w[c] != h[c]]
        if [c for c, _ in want[t] if c in h] != [c for c, _ in have[t] if c in w]:
            out.append(f"{t}: columns in another order than declared")
    return out


def check(con: duckdb.DuckDBPyConnection, areas=ATLAS_AREAS, *, complete: bool = True) -> None:
    """Raise SchemaError naming every difference between ``con`` and the declaration."""
    diff = differences(con, tuple(areas), complete=complete)
    if diff:
        raise SchemaError("the database disagrees with queries/schema_*.sql: " + "; ".join(diff))


def write(
    con: duckdb.DuckDBPyConnection,
    table: str,
    df: pd.DataFrame,
    *,
    mode: str = "plain",
    order_by: str = "",
) -> None:
    """Create ``table`` from its declaration and insert ``df`` by column name.

    A column of ``df`` the declaration does not name is an error (declare it first); a declared
    column ``df`` lacks is left NULL (a build that skipped the source that gives it). Values are
    cast to the declared types. ``order_by`` names declared columns (a constant of the caller,
    never input): queries/table_insert_frame*.sql take only declared names.
    """
    cols = columns(table)
    extra = [c for c in df.columns if c not in cols]
    if extra:
        raise SchemaError(
            f"{table}: column(s) {', '.join(map(str, extra))} not declared in "
            f"queries/schema_{_find(table).area}.sql"
        )
    create(con, table, mode)
    if df.empty and not len(df.columns):
        return
    con.register("_schema_df", df)
    try:
        if order_by:
            order = [c.strip() for c in order_by.split(",")]
            known = {table, *cols}
            con.execute(
                sql.with_names("table_insert_frame_sorted", known, table=table, order=order)
            )
        else:
            con.execute(sql.with_names("table_insert_frame", {table}, table=table))
    finally:
        con.unregister("_schema_df")
