"""The layers hold: import-linter's contracts (pyproject.toml [tool.importlinter]) run here, in
the test command, and the pages reach the atlas only through riskatlas.ui.

Why a test: a Streamlit import in the library, a library module reaching up into riskatlas.ui or
a new cycle between packages passes every other test and is found only by the next maintainer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from riskatlas.paths import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_contracts_are_kept():
    res = lint_imports()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout
    for contract in ("ui-on-top", "streamlit-in-ui", "package-layers", "acyclic"):
        assert f'id = "{contract}"' in (REPO_ROOT / "pyproject.toml").read_text()


def test_a_broken_contract_fails(tmp_path):
    """The same runner fails on imports that exist: riskatlas.view reads riskatlas.filters, the
    Contribute form reads the contributions package, and the library imports DuckDB."""
    config = tmp_path / "broken.toml"
    config.write_text(
        """
[tool.importlinter]
root_packages = ["riskatlas"]
include_external_packages = true

[[tool.importlinter.contracts]]
name = "view does not read filters"
type = "forbidden"
source_modules = ["riskatlas.view"]
forbidden_modules = ["riskatlas.filters"]

[[tool.importlinter.contracts]]
name = "contrib above ui"
type = "layers"
layers = ["riskatlas.contrib", "riskatlas.ui"]

[[tool.importlinter.contracts]]
name = "only the ui imports duckdb"
type = "protected"
protected_modules = ["duckdb"]
allowed_importers = ["riskatlas.ui"]
"""
    )
    res = lint_imports("--config", str(config))
    assert res.returncode == 1, res.stdout + res.stderr
    assert "3 broken" in res.stdout
    assert "riskatlas.view -> riskatlas.filters" in res.stdout


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_pages_reach_the_atlas_only_through_the_ui():
    """pages/ sit above riskatlas.ui: no page opens the database, runs SQL or holds a cursor."""
    pages = sorted((REPO_ROOT / "pages").glob("*.py"))
    assert pages
    for page in pages:
        names = _imports(page)
        banned = {n for n in names if n.split(".")[0] == "duckdb"}
        banned |= {
            n for n in names if n in ("riskatlas.db", "riskatlas.sql", "riskatlas.ui.connection")
        }
        banned |= {n for n in names if n.startswith(("riskatlas.db.", "riskatlas.sql."))}
        assert not banned, f"{page.name} imports {sorted(banned)}"
        assert ".cursor(" not in page.read_text(), f"{page.name} takes a cursor"
        assert any(n.startswith("riskatlas.ui") for n in names), page.name


def test_the_library_imports_neither_pages_nor_app():
    for path in (REPO_ROOT / "riskatlas").rglob("*.py"):
        roots = {n.split(".")[0] for n in _imports(path)}
        assert not roots & {"pages", "app"}, path
