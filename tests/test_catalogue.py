"""The indicator and fact catalogue: every code the atlas holds has a label, a unit and a
meaning; values read as published; typed words find indicators (issues 15 item 4, 17 items 3-4)."""

from __future__ import annotations

import csv

import pytest

from riskatlas import catalogue
from riskatlas.catalogue import CATALOGUE_CSV, CatalogueError, _read_csv


def test_one_line_per_entry():
    """Adding an entry is adding one line: every data line of the CSV is one entry."""
    lines = CATALOGUE_CSV.read_text(encoding="utf-8").splitlines()
    entries = _read_csv(CATALOGUE_CSV)
    assert len(lines) - 1 == len(entries)
    with CATALOGUE_CSV.open(encoding="utf-8", newline="") as fh:
        assert [r["code"] for r in csv.DictReader(fh)] == list(entries)


@pytest.mark.parametrize(
    "code,value,text",
    [
        ("gsi_prevalence_per_1000", 4.5, "4.5 per 1,000 people"),
        ("gsi_prevalence_per_1000", "4.5", "4.5 per 1,000 people"),  # risk_components.raw_value
        ("ilab_working_children_pct", "0.174", "17.4% of children"),  # a fraction, as a share
        ("wgi_rl", -1.67, "-1.67 on a scale of -2.5 (weak) to +2.5 (strong)"),
        ("fh_E3", "1", "1 out of 4"),
        ("ilab_c138_ratified", 1.0, "yes"),
        ("ilab_inspectors_meet_standard", "0", "no"),
        ("ilab_advancement_level", 4, "Significant advancement"),
        ("workers", "150", "150 workers"),
        (
            "armed_groups",
            "FARDC; Police nationale congolaise",
            "FARDC; Police nationale congolaise",
        ),
        ("ilab_goods_child_labour", "listed: Gold", "listed: Gold"),
        ("gsi_prevalence_per_1000", None, ""),
    ],
)
def test_values_read_as_published(code, value, text):
    assert catalogue.published(code, value) == text


def test_text_values_are_never_cut():
    long = "Lavage, Transport des minerais, Creuser, Restauration, Concassage, Tamisage " * 4
    assert catalogue.published("child_labour_tasks", long) == long


def test_scores_round_half_up_the_same_everywhere():
    assert catalogue.score(0.225) == 23 and catalogue.score(0.834) == 83
    assert catalogue.score(None) is None
    # the Countries page's reading of a published value is the build's normalisation
    assert catalogue.normalised("gsi_prevalence_per_1000", 4.5) == 23
    assert catalogue.normalised("fh_E3", 1) == 75
    assert catalogue.normalised("fh_CL", 15) is None  # not in the risk model: no score


def test_words_find_indicators_by_their_label():
    indicators = [c for c, e in catalogue.catalogue().items() if e.kind == "indicator"]
    forced = catalogue.search("forced", indicators)
    assert forced[0] == "gsi_prevalence_per_1000"
    assert "ilab_palermo_ratified" in forced and "wgi_rl" not in forced
    assert catalogue.search("Union", indicators) == ["fh_E3"]
    assert catalogue.search("RULE of law", indicators)[:2] == ["wgi_rl", "wgi_rl_pctrank"]
    assert catalogue.search("insécurité", ["no_visit_reason", "mercury"]) == ["no_visit_reason"]
    assert catalogue.search("   ", ["b", "a"]) == ["b", "a"]
    assert catalogue.search("zzzz", indicators) == []


def test_unknown_code_is_worded_not_shown_raw():
    e = catalogue.entry("ejatlas_new_thing")
    assert e.label == "Ejatlas new thing (not yet described)"
    assert e.published("x") == "x"


@pytest.mark.parametrize(
    "body,problem",
    [
        ("code,kind\nx,indicator\n", "header"),
        ("code,kind,label,unit,format,meaning,source_id,words\nx,indicator,,,,,,\n", "label"),
        ("code,kind,label,unit,format,meaning,source_id,words\nx,thing,X,,,,,\n", "kind"),
        (
            "code,kind,label,unit,format,meaning,source_id,words\n"
            "x,fact,X,,text,,,\nx,fact,X,,text,,,\n",
            "twice",
        ),
        ("code,kind,label,unit,format,meaning,source_id,words\nx,fact,X,,{:q},,,\n", "format"),
    ],
)
def test_a_malformed_catalogue_names_the_line(tmp_path, body, problem):
    path = tmp_path / "catalogue.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogueError, match=problem):
        _read_csv(path)


# --- the real atlas -----------------------------------------------------------------------------


def _codes(atlas, sql: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for code, source in atlas.execute(sql).fetchall():
        out.setdefault(code, set()).add(source)
    return out


@pytest.mark.slow
def test_every_code_in_the_atlas_has_an_entry_naming_its_source(atlas):
    known = catalogue.catalogue()
    indicators = _codes(atlas, "SELECT DISTINCT indicator, source_id FROM country_indicators")
    facts = _codes(atlas, "SELECT DISTINCT fact, source_id FROM site_facts")
    components = _codes(atlas, "SELECT DISTINCT indicator, source_id FROM risk_components")
    assert len(indicators) > 50 and len(facts) > 20 and len(components) > 25
    assert sorted((set(indicators) | set(facts) | set(components)) - set(known)) == []
    for code, sources in indicators.items():
        assert known[code].kind == "indicator", code
        assert sources == {known[code].source_id}, code
    for code, sources in facts.items():
        assert known[code].kind == "fact", code
        assert sources == {known[code].source_id}, code
    for code in components:
        e = known[code]
        assert e.label and e.meaning and e.model, code  # the model's scale is said too


@pytest.mark.slow
def test_normalised_scores_on_pages_equal_the_builds(atlas):
    """The Countries page computes a country value's score with the catalogue; the Site page
    and the report read the build's. They must agree for every country component."""
    rows = atlas.execute(
        "SELECT DISTINCT indicator, raw_value, value FROM risk_components WHERE level = 'country'"
    ).fetchall()
    assert len(rows) > 500
    for code, raw, value in rows:
        assert catalogue.normalised(code, raw) == catalogue.score(value), (code, raw, value)
