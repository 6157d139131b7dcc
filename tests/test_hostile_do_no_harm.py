"""Do no harm: every source's data date is on the Sources page, and the atlas states nothing about
IPIS sites that IPIS does not publish (each fact comes from an answered, published column)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from riskatlas.minerals import normalise
from tests.hostile_support import markdown_bodies, run_page

IPIS_FILE = "ipis_drc_mine_sites/cod_mines_curated_all_opendata_p_ipis.csv"
GROUPS = (1, 2, 3)
# The published columns each IPIS fact may come from (SOURCE.md, "Key columns"), restated here
# independently of the adapter.
FLAG_COLUMNS = {
    "child_labour_under15": "childunder15",
    "women": "women",
    "armed_group_presence": "presence",
    "armed_group_interference": "interference",
    "mercury": "mercury",
    "visit_onsite": "visit_onsite",
}
TEXT_COLUMNS = {
    "child_labour_tasks": "childunder15work",
    "women_tasks": "womenwork",
    "qualification": "qualification",
    "traceability": "traceability",
    "location_origin": "location_origin",
    "project": "project",
    "source_org": "source",
    "no_visit_reason": "visit_onsite_novisitreason",
}
ANY_GROUP_COLUMNS = {
    "forced_labour": [f"forced_labour_armed_group{g}" for g in GROUPS],
    "illegal_taxation": [
        f"{k}_armed_group{g}"
        for g in GROUPS
        for k in ("taxation", "commerce_taxation", "entrance_taxation")
    ],
}
MINERAL_COLUMNS = ["mineral1", "mineral2", "mineral3"]
OTHER_COLUMNS = {
    "workers": ["workers_numb"],
    "minerals": MINERAL_COLUMNS,
    "minerals_as_reported": MINERAL_COLUMNS,
    "armed_groups": [f"armed_group{g}" for g in GROUPS],
}
ALL_FACTS = {
    **{f: [c] for f, c in FLAG_COLUMNS.items()},
    **{f: [c] for f, c in TEXT_COLUMNS.items()},
    **ANY_GROUP_COLUMNS,
    **OTHER_COLUMNS,
}
FLAG = {"1": "yes", "0": "no"}


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    return Path(shutil.copy(atlas_db, tmp_path_factory.mktemp("harm") / "atlas.duckdb"))


@pytest.fixture(scope="module")
def visits(raw_dir) -> dict[str, dict[str, str]]:
    with open(raw_dir / IPIS_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6955  # SOURCE.md
    return {r["vid"].strip(): {k.strip(): (v or "").strip() for k, v in r.items()} for r in rows}


@pytest.fixture(scope="module")
def con(real_db):
    c = duckdb.connect(str(real_db), read_only=True, config={"enable_external_access": False})
    yield c.cursor()
    c.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_ipis_fact_comes_from_an_answered_published_column(con, visits):
    header = set(next(iter(visits.values())))
    for fact, cols in ALL_FACTS.items():
        assert set(cols) <= header, f"{fact}: {set(cols) - header} not in the published file"
    facts = con.execute(
        "SELECT fact, value, observed_on, source_ref FROM site_facts WHERE source_id = 'ipis'"
    ).fetchall()
    assert len(facts) > 70_000
    unknown = {f for f, *_ in facts} - set(ALL_FACTS)
    assert not unknown, f"IPIS facts with no published column behind them: {unknown}"
    problems = []
    for fact, value, observed_on, ref in facts:
        row = visits.get(ref.removeprefix("vid="))
        if row is None:
            problems.append(f"{ref}: no such visit")
            continue
        cells = [row[c] for c in ALL_FACTS[fact] if row[c]]
        ok = bool(cells) and str(observed_on) == row["visit_date"]
        if ok and fact in FLAG_COLUMNS:
            ok = value == FLAG.get(cells[0])
        elif ok and fact in TEXT_COLUMNS:
            ok = _squash(value) == _squash(cells[0])
        elif ok and fact in ANY_GROUP_COLUMNS:
            ok = value == ("yes" if "1" in cells else "no") and set(cells) <= {"0", "1"}
        elif ok and fact == "workers":
            ok = value == str(int(float(cells[0])))
        elif ok and fact == "armed_groups":
            ok = set(value.split("; ")) <= set(cells)
        elif ok and fact == "minerals_as_reported":
            ok = set(value.split(", ")) <= set(cells)
        elif ok and fact == "minerals":
            # "Minerais mixtes (Cassitérite/Coltan)" names two ores: each part counts
            parts = [p for c in cells for p in [c, *re.split(r"[/(),;]", c)] if p.strip()]
            published = {m for p in parts for m in normalise(p)}
            ok = set(value.split(", ")) <= published
        if not ok:
            problems.append(f"{ref} {fact}={value!r} vs {cells} ({row['visit_date']})")
    assert not problems, f"{len(problems)} facts not as published, e.g. {problems[:5]}"


@pytest.mark.parametrize("fact", [*FLAG_COLUMNS, *TEXT_COLUMNS])
def test_a_fact_exists_exactly_when_the_question_was_answered(con, visits, fact):
    """An empty IPIS answer means 'not asked': no row, never 'no'; every answer is kept."""
    column = {**FLAG_COLUMNS, **TEXT_COLUMNS}[fact]
    answered = sum(1 for r in visits.values() if r[column])
    n = con.execute(
        "SELECT count(*) FROM site_facts WHERE source_id = 'ipis' AND fact = ?", [fact]
    ).fetchone()[0]
    assert n == answered


def test_ipis_sites_carry_only_published_names_and_coordinates(con, visits):
    by_pcode: dict[str, list[dict[str, str]]] = {}
    for r in visits.values():
        by_pcode.setdefault(r["pcode"], []).append(r)
    sites = con.execute(
        "SELECT site_id, name, lat, lon FROM sites WHERE source_id = 'ipis'"
    ).fetchall()
    assert len(sites) > 3000
    problems = []
    for site_id, name, lat, lon in sites:
        published = by_pcode.get(site_id)
        if not published:
            problems.append(f"{site_id}: not a published pcode")
            continue
        if _squash(name) not in {_squash(r["name"]) for r in published} | {site_id}:
            problems.append(f"{site_id}: name {name!r}")
        if lat is not None:
            coords = {
                (float(r["latitude"]), float(r["longitude"]))
                for r in published
                if r["latitude"] and r["longitude"]
            }
            if not any(abs(lat - a) < 1e-9 and abs(lon - b) < 1e-9 for a, b in coords):
                problems.append(f"{site_id}: ({lat}, {lon}) is not a published location")
    assert not problems, f"{len(problems)} IPIS sites not as published, e.g. {problems[:5]}"


def test_sources_page_shows_every_source_with_its_data_date(real_db, con, visits, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))
    at = run_page("pages/sources.py", {})
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    dates = dict(zip(table["source_id"], table["data_date"], strict=True))
    expected = dict(con.execute("SELECT source_id, data_date FROM sources").fetchall())
    assert set(dates) == set(expected) and len(expected) >= 19
    for source_id, date in expected.items():
        assert isinstance(date, str) and date.strip(), f"{source_id} has no data date"
        assert dates[source_id] == date
    # IPIS: the date is the latest published visit
    assert dates["ipis"] == max(r["visit_date"] for r in visits.values())


def test_site_page_cites_the_data_date(real_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))
    at = run_page("pages/site.py", {"site": "codmine00068"})
    assert not at.exception, [e.value for e in at.exception]
    captions = [b for kind, b in markdown_bodies(at) if kind == "caption" and "Sources:" in b]
    assert captions and "2023\\-06\\-21" in captions[0]
