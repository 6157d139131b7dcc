"""The Contribute page: the form saves a pending contribution, or lists the problems and saves nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from riskatlas.contrib import store

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "contribute.py")


@pytest.fixture
def cdb(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))
    monkeypatch.setenv("RISKATLAS_DB", str(tmp_path / "atlas.duckdb"))
    return tmp_path / "contributions.duckdb"


def _fill(at: AppTest, **over) -> AppTest:
    values = {
        "Site name *": "Kasulo",
        "What happened *": "Children under 15 seen sorting ore.",
        "Evidence address (http:// or https://) *": "https://example.org/kasulo",
        "Contributed by *": "Fieldwork Union",
        "Country *": "DRC",
        "Latitude (optional, decimal degrees)": "-10.7146",
        "Longitude (optional, decimal degrees)": "25.4837",
    }
    values.update(over)
    for label, value in values.items():
        widget = next((w for w in [*at.text_input, *at.text_area] if w.label == label), None)
        assert widget is not None, label
        widget.set_value(value)
    at.selectbox[0].set_value("artisanal_mine")
    at.date_input[0].set_value(dt.date(2023, 5, 17))
    return at


def test_form_submission_is_pending(cdb):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    _fill(at).button[-1].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Saved 1 contribution(s), pending review (ids 1)."]
    assert list(store.list_contributions("pending")["site_name"]) == ["Kasulo"]


def test_form_problems_are_listed_and_nothing_saved(cdb):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    _fill(
        at,
        **{
            "Evidence address (http:// or https://) *": "www.example.org",
            "Latitude (optional, decimal degrees)": "999",
        },
    ).button[-1].click().run()
    assert not at.exception and not at.success
    assert "Nothing was saved: 2 problem(s)" in at.error[0].value
    table = at.dataframe[-1].value
    assert list(table["field"]) == ["evidence_url", "lat"]
    assert not cdb.exists()
