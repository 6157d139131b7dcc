"""A source is one file: the registry finds every module that declares a SOURCE, and the build
order, entity resolution, name matching and pages read what each declares."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import riskatlas.sources as registry
from riskatlas import resolve
from riskatlas.sources.base import UI_SECTIONS, SourceInfo

REPO = Path(__file__).resolve().parent.parent

# Contracts: source ids and site-id rules as the atlas has always written them.
SITE_IDS = {
    "minmod_mrds": ("R1", "minmod:R1"),
    "usgs_africa": ("usgsafr:7", "usgsafr:7"),
    "curated_ewaste": ("agbogbloshie", "ewaste:agbogbloshie"),
    "samsung_rmr_2025": ("12", "samsung_rmr_2025:12"),
    "sec_form_sd_2025": ("apple:3", "sec_form_sd_2025:apple:3"),
    "saved_imports": ("x:1", "saved_imports:x:1"),
    "rmi": ("CID001234", "CID001234"),
    "ipis": ("vid=1", "vid=1"),
}
PRIORITY = {
    "rmi": 0,
    "icmm": 1,
    "usgs_africa": 2,
    "minmod_mrds": 3,
    "rmi_retired": 4,
    "ipis": 0,
    "apple_suppliers": 0,
    "curated_ewaste": 0,
    "samsung_rmr_2025": 5,
    "sec_form_sd_2025": 6,
    "ejatlas": 9,
    "saved_imports": 9,
}


def test_every_registered_source_declares_what_the_atlas_needs():
    found = registry.sources()
    assert len(found) == len(registry.ADAPTERS) >= 22
    for source in found:
        assert source.problems() == [], (source.source_id, source.problems())
    ids = [s.source_id for s in found]
    assert len(set(ids)) == len(ids)
    orders = [s.order for s in found]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    for name in registry.ADAPTERS:
        module = registry.adapter(name)
        assert callable(module.load) and isinstance(module.SOURCE, SourceInfo)


def test_source_ids_site_ids_and_priorities_are_as_before():
    for source_id, (ref, site_id) in SITE_IDS.items():
        assert resolve.default_site_id(source_id, ref, None) == site_id
    assert resolve.default_site_id("minmod_mrds", "R1", "CID000042") == "CID000042"
    for source_id, prio in PRIORITY.items():
        assert registry.priority(source_id) == prio, source_id
    assert registry.with_role("target") == ("icmm", "minmod_mrds", "usgs_africa")
    assert set(registry.with_role("query")) == {
        "rmi",
        "samsung_rmr_2025",
        "sec_form_sd_2025",
        "rmi_retired",
        "saved_imports",
    }
    assert registry.for_section("ewaste.weee") == {"eurostat_env_waselee"}
    assert registry.for_section("ewaste.generated") == {"world_bank_what_a_waste"}
    assert registry.for_section("ewaste.rates") == {"owid_ewaste_recycling"}
    for section in UI_SECTIONS:
        assert registry.for_section(section), f"no source cites {section}"


def test_a_declaration_with_gaps_says_what_is_missing():
    bad = SourceInfo(
        "x", "", "p", "u", "l", "2025", "f", ("a.csv",), site_ids="prefixed", ui_sections=("z",)
    )
    problems = " | ".join(bad.problems())
    for words in ("title is empty", "order is not set", "site_prefix goes with", "ui_sections"):
        assert words in problems


def _doc_example() -> str:
    """The source module docs/adding-a-source.md walks through (its first Python block)."""
    text = (REPO / "docs" / "adding-a-source.md").read_text(encoding="utf-8")
    return text.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.fixture
def extra_source(tmp_path):
    """A new source module in a folder of its own, added to the package's search path: the
    one file a maintainer writes, nothing else edited."""
    folder = tmp_path / "more_sources"
    folder.mkdir()
    (folder / "zz_mines.py").write_text(_doc_example(), encoding="utf-8")
    registry.__path__.append(str(folder))
    registry.refresh()
    try:
        yield folder
    finally:
        registry.__path__.remove(str(folder))
        sys.modules.pop("riskatlas.sources.zz_mines", None)
        registry.refresh()


def test_a_new_source_module_is_picked_up_with_nothing_else_edited(extra_source, tmp_path):
    """The docs' example, dropped into the package: built in its place, skippable, resolved,
    matched, and its rows read or rejected."""
    names = registry.ADAPTERS
    assert "zz_mines" in names
    assert names.index("usgs_africa") < names.index("zz_mines") < names.index("rmi")
    assert registry.without(("zz_mine_register",)) == tuple(n for n in names if n != "zz_mines")
    assert registry.priority("zz_mine_register") == 3
    assert resolve.default_site_id("zz_mine_register", "9", None) == "zzmine:9"
    assert registry.with_role("target") == (
        "icmm",
        "minmod_mrds",
        "usgs_africa",
        "zz_mine_register",
    )
    assert registry.by_id()["zz_mine_register"].problems() == []
    raw = tmp_path / "raw"
    (raw / "zz_mine_register").mkdir(parents=True)
    (raw / "zz_mine_register" / "mines.csv").write_text(
        "id,name,lat,lon,commodity\n9,Toy  Pit,-12.5,27.25,cobalt\n10,Bad,north,27,copper\n",
        encoding="utf-8",
    )
    out = registry.adapter("zz_mines").load(raw)
    records = out.tables["records"]
    assert list(records["name"]) == ["Toy Pit"] and list(records["minerals"]) == [["cobalt"]]
    assert out.rows_in == 2 and [r["reason"] for r in out.rejects] == [
        "lat is 'north', not a number"
    ]


def test_the_registry_forgets_a_removed_source(extra_source):
    assert "zz_mines" in registry.ADAPTERS
    registry.__path__.remove(str(extra_source))
    registry.refresh()
    assert "zz_mines" not in registry.ADAPTERS
    registry.__path__.append(str(extra_source))  # the fixture removes it again


# Adapters without a fuzz target yet, and why; a new source needs a target (tests/fuzz/targets.py)
# or a line here.
NO_FUZZ_TARGET = {
    name: "read through riskatlas.importer, whose malformed-file cases are in "
    "test_importer_errors.py and test_importer_formats.py"
    for name in ("samsung", "form_sd", "saved_imports")
}


def test_every_adapter_has_a_test_module_and_a_fuzz_target():
    from tests.fuzz.targets import TARGETS

    here = Path(__file__).parent
    for name in registry.ADAPTERS:
        assert (here / f"test_source_{name}.py").is_file(), f"tests/test_source_{name}.py missing"
        assert (name in TARGETS) != (name in NO_FUZZ_TARGET), (
            f"{name}: add a fuzz target to tests/fuzz/targets.py (or say why not here)"
        )
