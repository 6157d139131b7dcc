"""SQL safety: no query is built from input, URL values cannot change SQL, and the app's
connection is read-only with external access disabled."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from riskatlas.paths import REPO_ROOT
from tests.hostile_support import markdown_bodies, run_page

# Calls that run SQL text (DuckDB, sqlite3, pandas) and the app's named-query runners.
SQL_CALLS = {"execute", "executemany", "sql", "query", "from_query", "read_sql", "read_sql_query"}
# A first argument that is one of these calls is named SQL read from queries/<name>.sql, whose
# loaders accept only plain identifiers (tested below).
NAMED_SQL_LOADERS = {"load", "sql_text", "with_names"}
# riskatlas.sql's runners take a connection and a query name (sql.execute(con, "name", params)):
# the text is named SQL, so the call is not one that runs built text.
NAMED_SQL_RUNNERS = {"execute"}

# Every place that runs SQL text it did not write out as one literal, and why that text cannot
# carry input. The test fails on a new place (add it here only after checking it) and on an entry
# that no longer exists (so this list stays true).
WHITELIST = {
    ("riskatlas/schema.py", "create"): "CREATE statements read from queries/schema_*.sql",
    ("riskatlas/schema.py", "layout_of"): "CREATE statements read from queries/schema_*.sql",
    ("riskatlas/geo/check.py", "_unflag_missing_islands"): "shapely STRtree.query, not SQL",
    ("riskatlas/basemap.py", "land_shades"): "shapely STRtree.query, not SQL",
}


def _python_files(root: Path) -> list[Path]:
    files = [root / "app.py"]
    for folder in ("riskatlas", "pages"):
        files += sorted((root / folder).rglob("*.py"))
    return files


def _call_name(node: ast.Call) -> str | None:
    fn = node.func
    if isinstance(fn, ast.Attribute):
        return fn.attr
    if isinstance(fn, ast.Name):
        return fn.id
    return None


def _is_literal(arg: ast.expr) -> bool:
    """A string written out in the code, possibly as implicitly or explicitly joined literals."""
    if isinstance(arg, ast.Constant):
        return True
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
        return _is_literal(arg.left) and _is_literal(arg.right)
    return False


def _built_sql_calls(root: Path = REPO_ROOT) -> list[tuple[str, str, int, str]]:
    """(file, enclosing function, line, source of the first argument) of every SQL call whose
    text is not a literal nor named SQL: f-strings, concatenation, % or .format, variables."""
    found = []
    for path in _python_files(root):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            name = getattr(func, "name", "<module>")
            body = func.body
            for stmt in body:
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    continue  # visited as its own function
                for node in ast.walk(stmt):
                    if not isinstance(node, ast.Call) or _call_name(node) not in SQL_CALLS:
                        continue
                    if not node.args:
                        continue
                    fn = node.func
                    if (
                        isinstance(fn, ast.Attribute)
                        and isinstance(fn.value, ast.Name)
                        and fn.value.id == "sql"
                        and fn.attr in NAMED_SQL_RUNNERS
                    ):
                        continue
                    arg = node.args[0]
                    if _is_literal(arg):
                        continue
                    if isinstance(arg, ast.Call) and _call_name(arg) in NAMED_SQL_LOADERS:
                        continue
                    found.append((rel, name, node.lineno, ast.unparse(arg)[:80]))
    return found


def test_no_sql_is_built_from_variables_outside_the_whitelist():
    found = _built_sql_calls()
    assert found, "the scan finds the known whitelisted places (it is not vacuous)"
    unknown = [f for f in found if (f[0], f[1]) not in WHITELIST]
    assert not unknown, (
        "SQL text built from variables (use $params, or named SQL in queries/; if the text "
        f"cannot carry input, add it to WHITELIST with the reason): {unknown}"
    )
    stale = set(WHITELIST) - {(f[0], f[1]) for f in found}
    assert not stale, f"whitelist entries that no longer build SQL: {stale}"


def test_the_scan_catches_fstrings_concatenation_and_format(tmp_path):
    """The checker itself: each way of building SQL from a variable is reported."""
    bad = tmp_path / "riskatlas" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "def f(con, x):\n"
        "    con.execute(f'SELECT * FROM t WHERE a = {x}')\n"
        "    con.execute('SELECT * FROM t WHERE a = ' + x)\n"
        "    con.execute('SELECT * FROM t WHERE a = %s' % x)\n"
        "    con.sql('SELECT {}'.format(x))\n"
        "    con.execute('SELECT * FROM t WHERE a = $a', {'a': x})\n"
        "    con.execute('SELECT 1 ' 'FROM t')\n",
        encoding="utf-8",
    )
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    found = _built_sql_calls(tmp_path)
    assert [line for _, _, line, _ in found] == [2, 3, 4, 5]


def test_named_sql_is_plain_text_with_bound_parameters():
    """queries/*.sql never contain Python format slots: values arrive only as $parameters. The
    one brace form allowed is an include of another query file by name ({{view_kept}}), or of
    one of the files an alias names (sql.ALIASES)."""
    from riskatlas import sql

    files = sorted((REPO_ROOT / "queries").glob("*.sql"))
    assert len(files) > 20
    for f in files:
        text = "\n".join(
            line.split("--", 1)[0] for line in f.read_text(encoding="utf-8").splitlines()
        )
        for name in re.findall(r"\{\{\s*([a-z0-9_]+)\s*\}\}", text):
            for target in sql.ALIASES.get(name, (name,)):
                assert (REPO_ROOT / "queries" / f"{target}.sql").is_file(), f"{f.name}: {name}"
        text = re.sub(r"\{\{\s*[a-z0-9_]+\s*\}\}", "", text)
        # a name slot ({{@table}}, {{#columns}}) is filled only by sql.with_names (tested below)
        text = re.sub(r"\{\{[@#]\s*[a-z0-9_]+\s*\}\}", "", text)
        for slot in ("{", "}", "%s", "%(", "?"):
            assert slot not in text, f"{f.name} has a formatting slot {slot!r}"


@pytest.mark.parametrize(
    "name", ["../x", "..", "a/b", "x.sql", "", "sites_filtered;drop", "/etc/passwd", "A B"]
)
def test_query_loaders_refuse_anything_but_a_plain_name(name):
    from riskatlas import db, sql

    with pytest.raises((ValueError, FileNotFoundError)):
        sql.load(name)
    with pytest.raises((ValueError, FileNotFoundError)):
        db.sql_text(name)


def test_includes_expand_to_the_named_files_and_nothing_else(tmp_path, monkeypatch):
    from riskatlas import sql

    text = sql.load("view_counts", view_rows="view_rows_sites")
    assert "{{" not in text and "FROM map_sites" in text and "$min_risk" in text
    assert "FROM brand_hits" in sql.load("view_counts", view_rows="view_rows_brands")
    with pytest.raises(ValueError, match="needs a file chosen"):
        sql.load("view_counts")
    monkeypatch.setattr(sql, "QUERIES", tmp_path)
    sql.load.cache_clear()
    try:
        (tmp_path / "loop.sql").write_text("SELECT * FROM {{loop}}")
        with pytest.raises(ValueError, match="nested deeper"):
            sql.load("loop")
        (tmp_path / "bad.sql").write_text("SELECT * FROM {{../x}}")
        assert "{{../x}}" in sql.load("bad")  # not an include: left as text, which the scan
        # above refuses in queries/
    finally:
        sql.load.cache_clear()


def test_name_slots_take_only_known_plain_identifiers():
    """sql.with_names fills {{@slot}} with quoted known names and {{#slot}} with one mark per
    name; anything else (an unknown name, a quote, a slot left empty or not in the file) is
    refused, so no input can become part of a statement."""
    from riskatlas import sql

    known = {"site_risk", "site_id", "dimension"}
    text = sql.with_names(
        "table_insert_frame_sorted", known, table="site_risk", order=["site_id", "dimension"]
    )
    assert 'INSERT INTO "site_risk" BY NAME' in text and 'ORDER BY "site_id", "dimension"' in text
    with pytest.raises(ValueError, match="not a known name"):
        sql.with_names("table_insert_frame", known, table="sites")
    for bad in ('site_risk"; DROP TABLE sites; --', "site risk", "x.y"):
        with pytest.raises(ValueError, match="not a known name"):
            sql.with_names("table_insert_frame", {bad}, table=bad)  # even when "known"
    with pytest.raises(ValueError, match="no name given"):
        sql.with_names("table_insert_frame_sorted", known, table="site_risk")
    with pytest.raises(ValueError, match="has no slot"):
        sql.with_names("table_insert_frame", known, table="site_risk", order="site_id")


def test_query_loaders_read_a_real_name():
    from riskatlas import db, sql

    assert "FROM sites" in sql.load("sites_filtered")
    assert db.sql_text("sites_filtered") == sql.load("sites_filtered")


# --- dynamic: the real atlas --------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_db(atlas_db, tmp_path_factory):
    """A copy of the real atlas for the app (its connection config differs from other tests')."""
    return Path(shutil.copy(atlas_db, tmp_path_factory.mktemp("sqlsafe") / "atlas.duckdb"))


@pytest.fixture(autouse=True)
def _use_app_db(request, monkeypatch):
    if "app_db" in request.fixturenames:
        monkeypatch.setenv("RISKATLAS_DB", str(request.getfixturevalue("app_db")))


def _counts(path: Path) -> dict[str, int]:
    # the app's own configuration: DuckDB shares one instance per file and configuration
    con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    try:
        cur = con.cursor()
        names = [r[0] for r in cur.execute("SHOW TABLES").fetchall()]
        return {n: cur.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608 - names from SHOW TABLES
    finally:
        con.close()


HOSTILE_URL = {
    "brand": "x' OR 1=1 --",
    "mineral": "cobalt');DROP TABLE sites;--",
    "tier": "mine' UNION SELECT * FROM rejects --",
    "country": "COD'; DELETE FROM sites; --",
    "min_risk": "abc",
    "year": "1e999",
    "dimension": "labour; DROP TABLE site_risk",
}


def test_hostile_url_parameters_give_notices_and_change_nothing(app_db):
    before = _counts(app_db)
    at = run_page("pages/map.py", HOSTILE_URL)
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    for key in ("brand", "mineral", "tier", "country", "min_risk", "year", "dimension"):
        assert key in warnings, f"no notice for the {key} parameter: {warnings}"
    assert "DROP TABLE sites" in warnings  # the value is shown back (as code), not run
    # every hostile value was ignored: the view is the whole atlas
    assert at.title[0].value == "Electronics supply\\-chain risk atlas"
    assert _counts(app_db) == before


@pytest.mark.parametrize(
    "page,params,notice",
    [
        ("pages/site.py", {"site": "x' OR '1'='1"}, "No site with id"),
        ("pages/sources.py", {"source": "ipis' OR 1=1 --"}, "Unknown source"),
        ("pages/countries.py", {"indicator": "fh_E3'; DROP TABLE countries; --"}, "indicator"),
        ("pages/countries.py", {"country": "COD' OR 1=1", "year": "2020 OR 1=1"}, "year"),
        ("pages/minerals.py", {"mineral": "gold' OR 1=1 --"}, "Where is it?"),
    ],
)
def test_hostile_parameters_on_other_pages(app_db, page, params, notice):
    before = _counts(app_db)
    at = run_page(page, params)
    assert not at.exception, [e.value for e in at.exception]
    bodies = " ".join(b for _, b in markdown_bodies(at))
    assert notice in bodies
    assert _counts(app_db) == before


def test_countries_year_with_a_non_ascii_digit_is_a_notice(app_db):
    """'²'.isdigit() is True but int('²') fails: the page must not crash on such a URL."""
    at = run_page("pages/countries.py", {"year": "²"})
    assert not at.exception, [e.value for e in at.exception]


# --- the app's connection ----------------------------------------------------------------------

REFUSED = [
    "CREATE TABLE pwned AS SELECT 1",
    "INSERT INTO brands VALUES ('x', 'y')",
    "UPDATE sites SET name = 'x'",
    "DELETE FROM sites",
    "DROP TABLE sites",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
    "COPY sites TO '{out}/sites.csv'",
    "EXPORT DATABASE '{out}/export'",
    "ATTACH '{out}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_the_app_connection_refuses_writes_files_and_extensions(app_db, tmp_path, statement):
    from riskatlas.ui import connection

    cur = connection.cursor()
    assert cur.execute("SELECT count(*) FROM sites").fetchone()[0] > 0
    with pytest.raises(duckdb.Error):
        cur.execute(statement.format(out=tmp_path))
    assert list(tmp_path.iterdir()) == [], "the statement wrote a file"
    # the connection still serves afterwards
    assert connection.cursor().execute("SELECT count(*) FROM sites").fetchone()[0] > 0


def test_contributions_store_keeps_sql_text_as_data(tmp_path):
    """An upload's text is stored as given (bound), never run."""
    import datetime as dt

    from riskatlas.contrib import store
    from riskatlas.contrib.validate import Contribution

    evil = "x'); DROP TABLE contributions; --"
    fields = Contribution.__dataclass_fields__
    values = {
        "row": 1,
        "country_raw": "DR Congo",
        "site_name": evil,
        "tier": "artisanal_mine",
        "description": evil,
        "event_date": dt.date(2024, 1, 2),
        "evidence_url": "https://example.org/r",
        "contributor": evil,
        "country_iso3": "COD",
        "lat": -2.5,
        "lon": 28.8,
        "geo_precision": "exact",
        "minerals": ["gold"],
    }
    contribution = Contribution(**{k: v for k, v in values.items() if k in fields})
    db_file = tmp_path / "contrib.duckdb"
    ids, errors = store.add([contribution], submitted_via="form", db_path=db_file)
    assert not errors and len(ids) == 1
    stored = store.list_contributions(status=None, db_path=db_file)
    assert len(stored) == 1
    assert stored.iloc[0]["site_name"] == evil and stored.iloc[0]["contributor"] == evil
