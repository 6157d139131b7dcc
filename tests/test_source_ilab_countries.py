"""ilab_countries adapter: 2022 Findings country indicators and profiles, against the CSV oracle."""

from __future__ import annotations

import pandas as pd
import pytest

from riskatlas.countries import to_iso3
from riskatlas.sources import ilab_countries
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return ilab_countries.load(raw_dir)


@pytest.fixture(scope="module")
def values(result):
    ind = result.tables["country_indicators"]
    return {(r.country_iso3, r.indicator): r.value for r in ind.itertuples()}


@pytest.fixture(scope="module")
def oracle(raw_dir):
    return pd.read_csv(
        raw_dir / "ilab_child_forced_labor" / "ilab_country_findings.csv",
        dtype=str,
        keep_default_na=False,
    )


def test_counts(result):
    assert result.rows_in == 143 and result.rows_rejected == 0
    assert len(result.tables["ilab_country_profiles"]) == 143
    ind = result.tables["country_indicators"]
    assert set(ind["year"]) == {2022}
    assert ind.groupby("indicator").size().to_dict() == {
        "ilab_advancement_level": 128,
        "ilab_c138_ratified": 127,
        "ilab_c182_ratified": 127,
        "ilab_inspectors_meet_standard": 94,
        "ilab_labor_inspectors": 91,
        "ilab_palermo_ratified": 129,
        "ilab_working_children_pct": 103,
    }


COLUMNS = {
    "c138_ratified": "ilab_c138_ratified",
    "c182_ratified": "ilab_c182_ratified",
    "palermo_ratified": "ilab_palermo_ratified",
    "labor_inspectors_meet_intl_standard": "ilab_inspectors_meet_standard",
    "labor_inspectors": "ilab_labor_inspectors",
    "working_children_pct": "ilab_working_children_pct",
}


def test_matches_csv_oracle_and_missing_is_no_row(values, oracle):
    for row in oracle.to_dict("records"):
        iso3 = to_iso3(row["country"])
        for col, indicator in COLUMNS.items():
            raw = row[col]
            got = values.get((iso3, indicator))
            if raw in ("", "Unknown", "Unavailable", "N/A"):
                assert got is None, (iso3, indicator, raw)  # not reported: no row, never 0
            elif raw in ("Yes", "No"):
                assert got == (1.0 if raw == "Yes" else 0.0)
            else:
                assert got == pytest.approx(float(raw))


def test_known_values(values, result):
    assert values[("COD", "ilab_advancement_level")] == 1  # Minimal, qualified (regression)
    assert values[("COD", "ilab_working_children_pct")] == pytest.approx(0.174)
    assert values[("ALB", "ilab_labor_inspectors")] == 124
    assert values[("ALB", "ilab_advancement_level")] == 3
    assert values[("MMR", "ilab_advancement_level")] == 0  # No Advancement, complicit
    assert ("AFG", "ilab_labor_inspectors") not in values  # "Unknown"
    assert ("CHN", "ilab_advancement_level") not in values  # not assessed
    assert ("CXR", "ilab_advancement_level") not in values  # "No Assessment"
    profiles = result.tables["ilab_country_profiles"].set_index("country_iso3")
    assert profiles.loc["COD", "webpage"].startswith("https://www.dol.gov/")
    assert profiles.loc["COD", "description"].startswith("In 2022,")


@pytest.mark.parametrize(
    ("level", "score"),
    [
        ("Significant Advancement", 4),
        ("Moderate Advancement", 3),
        ("Minimal Advancement", 2),
        ("Minimal Advancement \u2013 Efforts Made but Continued Law that Delayed Advancement", 1),
        ("No Advancement", 0),
        ("No Advancement \u2013 Efforts Made but Complicit in Forced Child Labor", 0),
        ("No Assessment", None),
        ("", None),
    ],
)
def test_advancement_mapping(level, score):
    assert ilab_countries.advancement_score(level) == score


def test_bad_rows_rejected(fixtures_dir):
    r = ilab_countries.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 4 and r.rows_loaded == 2
    assert sorted(x["reason"] for x in r.rejects) == [
        "Enforcements/Labor_Inspectors is 'lots', not a number",
        "country not recognised: 'Atlantis'",
    ]
    got = {(x.country_iso3, x.indicator) for x in r.tables["country_indicators"].itertuples()}
    assert ("ALB", "ilab_palermo_ratified") not in got  # N/A
    assert ("AGO", "ilab_advancement_level") not in got  # No Assessment
    assert ("AGO", "ilab_labor_inspectors") not in got  # Unknown


def test_truncated_xml(fixtures_dir):
    with pytest.raises(SourceError, match="not well-formed XML"):
        ilab_countries.load(fixtures_dir / "ind_broken")
