"""Every SQL statement lives in queries/ (issue #18): the code names a query file and binds its
parameters, so a reader finds each statement in one place and the safety rules (tests/
test_sql_safety.py) look at one folder.

The scan reads the Python of the library, the bench and the pages with ``ast`` and flags any
string written in the code that has the shape of a SQL statement (SELECT ... FROM, INSERT INTO,
UPDATE ... SET, DELETE FROM, CREATE/ALTER/DROP, WITH ... AS (, COPY, ATTACH, PRAGMA,
transaction and maintenance statements). f-strings and ``+`` concatenations are read whole, with
each substituted part standing as one word. Docstrings are prose and skipped; a sentence that
merely uses the word "select" or "from" is not SQL-shaped. It also flags any .sql file outside
queries/ (test fixtures excepted: they are data for tests, not statements the code runs).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from riskatlas.paths import REPO_ROOT

SCANNED = ("riskatlas", "bench", "pages")
# Folders whose .sql files are not the code's statements: the query folder itself, test
# fixtures, and what is never part of the repository.
SQL_FILE_HOMES = {"queries", "tests", ".venv", ".git", "data", "node_modules"}

# Statement shapes. Keywords are matched in capitals, the house style of every statement, so
# that prose ("select a brand from the list") is not SQL; a lower-case statement is caught by the
# stricter lower-case shapes below.
_SHAPES = [
    r"\bSELECT\s+(?:DISTINCT\s+)?[\s\S]*?\bFROM\b",
    r"^\s*SELECT\s+\S",  # SELECT 1, SELECT $x::INTEGER ...
    r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b",
    r"\bUPDATE\s+[\w\".]+\s+SET\b",
    r"\bDELETE\s+FROM\b",
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?"
    r"(?:TABLE|VIEW|INDEX|SEQUENCE|MACRO|TYPE|SCHEMA)\s+(?:IF\s+NOT\s+EXISTS\s+)?[\w\"]",
    r"\bALTER\s+(?:TABLE|VIEW)\b",
    r"\bDROP\s+(?:TABLE|VIEW|INDEX|SEQUENCE|MACRO|TYPE|SCHEMA)\s+(?:IF\s+EXISTS\s+)?[\w\"]",
    r"\bWITH\s+(?:RECURSIVE\s+)?\w+\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(",
    r"^\s*COPY\s+[\w\"(]",
    r"\bATTACH\s+(?:DATABASE\s+)?['\"$?]",
    r"^\s*DETACH\s+\w+",
    r"^\s*PRAGMA\s+\w+",
    r"^\s*EXPORT\s+DATABASE\b",
    r"^\s*(?:INSTALL|LOAD)\s+\w+\s*;?\s*$",
    r"^\s*SET\s+\w+\s*(?:=|TO)\s*\S",
    r"^\s*(?:SHOW\s+TABLES|DESCRIBE\s+\w+|SUMMARIZE\s+\w+)",
    r"^\s*(?:BEGIN(?:\s+TRANSACTION)?|COMMIT|ROLLBACK|CHECKPOINT|ANALYZE|VACUUM|ABORT)\s*;?\s*$",
]
_LOWER_SHAPES = [
    # a statement in lower case still has SQL's punctuation around its keywords
    r"^\s*select\s+(?:distinct\s+)?(?:\*|[\w\".]+\s*(?:,|\bas\b|\())[\s\S]*\bfrom\s+[\w\"(]",
    r"^\s*select\s+[\w\".*]+\s+from\s+[\w\"]+\s*(?:where\b|order\s+by\b|group\s+by\b|limit\b|$)",
    r"^\s*insert\s+(?:or\s+\w+\s+)?into\s+[\w\"]+\s*(?:\(|values\b|select\b)",
    r"^\s*update\s+[\w\"]+\s+set\s+\w+\s*=",
    r"^\s*delete\s+from\s+[\w\"]+\s*(?:where\b|$)",
    r"^\s*create\s+(?:or\s+replace\s+)?(?:temp\s+)?(?:table|view)\s+[\w\"]+\s*(?:as\b|\()",
]
SQL_SHAPE = re.compile("|".join(f"(?:{s})" for s in _SHAPES), re.MULTILINE)
SQL_SHAPE_LOWER = re.compile("|".join(f"(?:{s})" for s in _LOWER_SHAPES), re.MULTILINE)

_HOLE = "x"  # what a substituted part of an f-string or a concatenation reads as


def looks_like_sql(text: str) -> bool:
    """Whether a string has the shape of a SQL statement (see the module docstring)."""
    return bool(SQL_SHAPE.search(text) or SQL_SHAPE_LOWER.search(text))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _text(node: ast.expr) -> str | None:
    """The string an expression writes out, with substituted parts as one word; None if the
    expression is not a string built from literals (a name, a call, a number)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else _HOLE for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else _HOLE) + (right if right is not None else _HOLE)
    return None


def sql_literals(source: str, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, text) of every SQL-shaped string in Python source, docstrings skipped; a string
    built by an f-string or ``+`` is read whole and reported once."""
    tree = ast.parse(source, filename=filename)
    docs = _docstrings(tree)
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp) and id(node) not in docs:
            text = _text(node)
            if text is not None:
                if looks_like_sql(text):
                    found.append((node.lineno, text))
                if not isinstance(node, ast.BinOp):
                    return  # an f-string's parts are read as part of it
                # a concatenation: its string parts were read with it, its other parts may
                # hold strings of their own (a call's argument)
                for part in (node.left, node.right):
                    if _text(part) is None:
                        visit(part)
                return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _python_files(root: Path) -> list[Path]:
    files = [root / "app.py"] if (root / "app.py").is_file() else []
    for folder in SCANNED:
        files += sorted((root / folder).rglob("*.py"))
    return files


def scan(root: Path = REPO_ROOT) -> list[tuple[str, int, str]]:
    """(file, line, text) of every SQL string written in the scanned code."""
    out = []
    for path in _python_files(root):
        rel = path.relative_to(root).as_posix()
        out += [(rel, line, text) for line, text in sql_literals(path.read_text("utf-8"), rel)]
    return out


def stray_sql_files(root: Path = REPO_ROOT) -> list[str]:
    """.sql files outside queries/ (and outside test fixtures and what is not the repo's)."""
    found = []
    for top in sorted(root.iterdir()):
        if top.name in SQL_FILE_HOMES:
            continue
        if top.is_file():
            found += [top.name] if top.suffix == ".sql" else []
        else:
            found += [p.relative_to(root).as_posix() for p in sorted(top.rglob("*.sql"))]
    return found


def test_no_sql_string_outside_queries():
    found = [(f, line, text[:70]) for f, line, text in scan()]
    assert not found, (
        "SQL written in Python: move it to queries/<name>.sql (bench: queries/bench_*.sql) and "
        f"run it with riskatlas.sql (load/execute/run/with_names) and bound parameters: {found}"
    )


def test_no_sql_file_outside_queries():
    stray = stray_sql_files()
    assert not stray, f".sql files outside queries/ (move them there): {stray}"


# --- the detector itself ------------------------------------------------------------------------

FLAGGED = [
    "SELECT site_id FROM sites WHERE tier = $tier",
    "select site_id, name from sites where tier = 'mine'",
    "SELECT count(*) FROM sites",
    "SELECT 1",
    "INSERT INTO review_log VALUES (?, ?)",
    "INSERT OR IGNORE INTO meta VALUES ('v', ?)",
    "UPDATE contributions SET status = ? WHERE contribution_id = ?",
    "DELETE FROM sites",
    "CREATE OR REPLACE TABLE t AS SELECT * FROM _df",
    "CREATE INDEX i ON links (brand_id)",
    "ALTER TABLE sites ADD COLUMN x INTEGER",
    "DROP TABLE reviews",
    "WITH kept AS (SELECT 1) SELECT * FROM kept",
    "COPY sites TO 'out.csv'",
    "ATTACH '/tmp/x.duckdb' AS r (READ_ONLY)",
    "DETACH r",
    "PRAGMA journal_mode = OFF",
    "BEGIN TRANSACTION",
    "CHECKPOINT",
    "ANALYZE",
]
PROSE = [
    "Select a brand from the list to see its smelters.",
    "Pick the minerals to select from; update the weights, then set the filter.",
    "Sites drawn from the USGS and IPIS with a year from 2019, with links as (documented) rows",
    "Delete from your notes anything that names a person.",
    "the update sets the status and the reviewer",
    "Create a table of the results and copy it to your report.",
    "Commit",
    "schema_core.sql: not a CREATE TABLE/VIEW/SEQUENCE: 'x'",
    "analyze",
    "run `python -m riskatlas build`",
    "SELECTED",
    "select",
]


def test_the_detector_flags_statements_and_not_prose():
    missed = [s for s in FLAGGED if not looks_like_sql(s)]
    assert not missed, f"statements the detector misses: {missed}"
    wrong = [s for s in PROSE if looks_like_sql(s)]
    assert not wrong, f"prose the detector takes for SQL: {wrong}"


def test_the_scan_reads_fstrings_concatenations_and_skips_docstrings():
    source = (
        '"""A module about SELECT x FROM y, which is prose here."""\n'
        "def f(con, t, cols):\n"
        '    """Docstring: INSERT INTO t VALUES (1)."""\n'
        "    con.execute(f'SELECT {cols} FROM {t}')\n"
        "    con.execute('SELECT ' + cols + ' FROM t')\n"
        "    con.execute('DELETE ' 'FROM t')\n"
        "    label = 'Select a site from the map'\n"
        "    con.execute(name('sites_count'))\n"
        "    con.execute(name('INSERT INTO t SELECT * FROM u') + 'x')\n"
    )
    assert [line for line, _ in sql_literals(source)] == [4, 5, 6, 9]


def test_the_scan_finds_a_stray_sql_file_and_a_literal(tmp_path):
    (tmp_path / "bench").mkdir()
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "ok.sql").write_text("SELECT 1")
    (tmp_path / "bench" / "stray.sql").write_text("SELECT 1")
    (tmp_path / "bench" / "m.py").write_text("Q = 'SELECT a FROM b'\n")
    assert stray_sql_files(tmp_path) == ["bench/stray.sql"]
    assert scan(tmp_path) == [("bench/m.py", 1, "SELECT a FROM b")]
