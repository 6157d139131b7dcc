"""The Contribute page: the form saves a pending contribution, or lists the problems and saves nothing.

Issue 17 changed the form's words (labels such as "Evidence link", the date typed as text so a
future date is refused as one, problems named by their label): the helpers and the problem
assertions below follow the new form."""

from __future__ import annotations

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
        "Evidence link *": "https://example.org/kasulo",
        "Contributed by *": "Fieldwork Union",
        "Country *": "DRC",
        "Latitude (optional)": "-10.7146",
        "Longitude (optional)": "25.4837",
        "Date of the event *": "2023-05-17",
    }
    values.update(over)
    for label, value in values.items():
        widget = next((w for w in [*at.text_input, *at.text_area] if w.label == label), None)
        assert widget is not None, label
        widget.set_value(value)
    at.selectbox[0].set_value("artisanal_mine")
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
            "Evidence link *": "www.example.org",
            "Latitude (optional)": "999",
        },
    ).button[-1].click().run()
    assert not at.exception and not at.success
    assert "Nothing was saved: 2 problem(s)" in at.error[0].value
    under_fields = [e.value for e in at.error[1:]]
    assert [t.split(":")[0] for t in under_fields] == ["Evidence link", "Latitude"]
    assert not cdb.exists()
