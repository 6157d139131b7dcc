"""Named SQL from ``queries/*.sql``, always run with bound parameters (never string-formatted)."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from pathlib import Path

import duckdb
import pandas as pd

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"[a-z0-9_]+")
_INCLUDE = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")
_MAX_DEPTH = 6
# Include slots that stand for one of several files; the caller names which (riskatlas.view).
ALIASES = {
    "view_rows": (
        "view_rows_sites",
        "view_rows_mineral_slice",
        "view_rows_brands",
        "view_rows_brand_slice",
    ),
    "view_hits_all": ("view_hits",),  # inside view_hits_top, which stands for view_hits
}


@functools.lru_cache(maxsize=256)
def load(name: str, **includes: str) -> str:
    """The text of ``queries/<name>.sql``; only plain names, so a URL value can never pick a file.

    ``{{other}}`` in a query stands for queries/other.sql as a parenthesised subquery: the Map's
    view is written once (view_rows, view_kept) and each view_* query wraps it, rather than five
    copies of the same filters drifting apart. ``includes`` maps an include to another file
    (view_rows -> view_rows_brands), so a query plans only the rows it can return. Includes are
    file names, never input.
    """
    return _expand(name, 0, includes)


def _expand(name: str, depth: int, includes: dict[str, str]) -> str:
    if name in ALIASES:
        raise ValueError(f"{{{{{name}}}}} needs a file chosen: one of {ALIASES[name]}")
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    if depth > _MAX_DEPTH:
        raise ValueError(f"queries/{name}.sql: includes nested deeper than {_MAX_DEPTH}")
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(
        lambda m: (
            "(\n" + _expand(includes.get(m.group(1), m.group(1)), depth + 1, includes) + "\n)"
        ),
        text,
    )


def execute(
    con, name: str, params: dict | list | None = None, includes: dict[str, str] | None = None
):
    """Run a named query with bound parameters and return the cursor: for statements that return
    nothing (INSERT, UPDATE) or rows read with fetchone/fetchall. ``con`` is a DuckDB or SQLite
    connection ($name marks are read by both)."""
    return con.execute(load(name, **(includes or {})), params if params is not None else {})


# {{@slot}}: a table or column name; {{#slot}}: one bound-parameter mark per name in that slot.
_NAME_SLOT = re.compile(r"\{\{([@#])\s*([a-z0-9_]+)\s*\}\}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def with_names(name: str, known: Collection[str], **names: str | Sequence[str]) -> str:
    """The text of ``queries/<name>.sql`` with its name slots filled.

    SQL cannot bind a table or column name, so the few statements whose table varies (the bench
    copying every table of an atlas) name it in a slot: ``{{@table}}`` is replaced by the name
    double-quoted (a sequence of names by a comma list), ``{{#columns}}`` by as many ``?`` marks
    as the slot has names. Only names in ``known`` -- a database's own catalog or a module's
    constant -- and only plain identifiers are accepted, so no input can reach the text; a slot
    left unfilled or a name given for no slot is an error.
    """
    text = load(name)
    values = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in names.items()}
    for slot, idents in values.items():
        for ident in idents:
            if ident not in known or not _IDENTIFIER.fullmatch(ident):
                raise ValueError(f"queries/{name}.sql: {ident!r} is not a known name for {slot}")
    used = set()

    def fill(m: re.Match) -> str:
        kind, slot = m.group(1), m.group(2)
        if slot not in values:
            raise ValueError(f"queries/{name}.sql: no name given for {{{{{kind}{slot}}}}}")
        used.add(slot)
        if kind == "#":
            return ", ".join("?" * len(values[slot]))
        return ", ".join(f'"{ident}"' for ident in values[slot])

    text = _NAME_SLOT.sub(fill, text)
    if set(values) - used:
        raise ValueError(f"queries/{name}.sql has no slot for {sorted(set(values) - used)}")
    return text


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict | None = None,
    includes: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Run a named query with named parameters ($name in the SQL) and return a DataFrame."""
    return con.execute(load(name, **(includes or {})), params or {}).df()


def optional_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    cols: list[str],
    name: str = "table_select",
    params: dict | None = None,
) -> pd.DataFrame:
    """Rows of ``queries/<name>.sql`` (by default every row of ``table``) with exactly ``cols``,
    in that order: a column the table lacks is all NULL, and an absent table gives no rows.

    Why: the build reads tables of optional sources, and the tests build small databases with
    only the columns they need. The query selects ``COLUMNS(lambda c: list_contains($cols, c))``
    and gets the columns the table has as a bound list, so no name is spliced into the text.
    """
    have = {r[0] for r in con.execute(load("table_column_names"), {"table": table}).fetchall()}
    if not have:
        return pd.DataFrame(columns=cols)
    present = [c for c in cols if c in have]
    if present:
        df = run(con, name, {**(params or {}), "cols": present})
    else:
        (n,) = con.execute(load("table_rows"), {"table": table}).fetchone()
        df = pd.DataFrame(index=range(n))
    for c in cols:
        if c not in have:
            df[c] = None
    return df[cols]
