"""Settings declared once (riskatlas.settings): no other environment read, the docs generated
from the declaration and not stale, every variable the code names declared."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from riskatlas import paths, settings

REPO = Path(__file__).resolve().parent.parent
CODE = [
    *sorted((REPO / "riskatlas").rglob("*.py")),
    *sorted((REPO / "pages").glob("*.py")),
    REPO / "app.py",
]


def _environment_reads(path: Path) -> list[str]:
    """Every os.environ / os.getenv / os.putenv use in one file, as 'file:line'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        hit = (
            isinstance(node, ast.Attribute)
            and node.attr in ("environ", "getenv", "putenv", "environb", "unsetenv")
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv", "environb") for a in node.names)
        )
        if hit:
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_only_settings_reads_the_environment():
    reads = [
        r
        for p in CODE
        if p.name != "settings.py" or p.parent.name != "riskatlas"
        for r in _environment_reads(p)
    ]
    assert reads == [], f"read the environment through riskatlas.settings instead: {reads}"


def test_the_environment_check_finds_a_read(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nfrom os import getenv\nx = os.environ.get('A')\n")
    assert _environment_reads(probe) == ["probe.py:2", "probe.py:3"]


def test_docs_are_generated_from_the_declaration_and_not_stale():
    text = settings.DOC.read_text(encoding="utf-8")
    assert settings.rendered_doc(text) == text, (
        "docs/deploy-settings.md is stale: run python -m riskatlas.settings --write"
    )
    for s in settings.ALL:
        assert f"`{s.env}`" in text
    for lim in settings.LIMITS:
        assert f"`{lim.name}`" in text


def test_a_changed_declaration_makes_the_docs_stale(monkeypatch):
    text = settings.DOC.read_text(encoding="utf-8")
    changed = settings.Setting("RISKATLAS_" + "NEW", "1", "flag", "A new switch.", "deployment")
    monkeypatch.setattr(settings, "ALL", (*settings.ALL, changed))
    assert settings.rendered_doc(text) != text
    assert settings.main([]) == 1


def test_every_setting_is_declared_fully():
    names = [s.env for s in settings.ALL]
    assert len(names) == len(set(names))
    for s in settings.ALL:
        assert s.kind in settings.KINDS and s.group in settings.GROUPS, s
        assert s.doc.strip() and s.shown_default().strip(), s
    for lim in settings.LIMITS:
        assert lim.doc.strip() and lim.unit and lim.value > 0, lim


def test_every_variable_the_code_names_is_declared():
    """A RISKATLAS_* name in code, scripts, tests or docs that settings.py does not declare is
    a switch nobody documents."""
    declared = {s.env for s in settings.ALL}
    files = [
        *CODE,
        *(REPO / "scripts").glob("*"),
        *(REPO / "tests").glob("*.py"),
        *(REPO / "bench").rglob("*.py"),
        *(REPO / "docs").glob("*.md"),
        REPO / "README.md",
    ]
    named = set()
    for f in files:
        if f.is_file():
            named |= set(re.findall(r"\bRISKATLAS_[A-Z][A-Z0-9_]*", f.read_text(errors="replace")))
    assert named - declared == set()


def test_each_limit_is_the_value_its_module_uses():
    for lim in settings.LIMITS:
        module = importlib.import_module(lim.used_by)
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert f"settings.{lim.name}.value" in source, f"{lim.used_by} does not use {lim.name}"


def test_paths_follow_their_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("RISKATLAS_DB", str(tmp_path / "a.duckdb"))
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("RISKATLAS_SUBMISSIONS", raising=False)
    assert paths.db_path() == tmp_path / "a.duckdb"
    assert paths.db_path("b.duckdb") == Path("b.duckdb")
    assert paths.cache_dir() == tmp_path / "cache"
    assert paths.submissions_dir() == paths.DEFAULT_SUBMISSIONS
    monkeypatch.delenv("RISKATLAS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "riskatlas"
    monkeypatch.setenv("RISKATLAS_PENDING_TOTAL", "not a number")
    assert settings.PENDING_TOTAL.number() == 100
