"""The Contribute form in a person's words (issue 17): every problem at once, named by the form's
labels, under the field it is about; a typed future date refused as a future date; tiers as the
rest of the app writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from riskatlas.contrib.intake import check_file, submit_form
from riskatlas.contrib.validate import RowError, human_message, validate_form
from riskatlas.layers import TIER_LABELS
from riskatlas.ui.contribute_form import problem_text, problems_frame
from tests.fixtures.make_fixture_db import build_fixture_db

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "contribute.py")
GOOD = {
    "site_name": "Kasulo",
    "tier": "artisanal_mine",
    "description": "Children under 15 seen sorting ore.",
    "event_date": "2023-05-17",
    "evidence_url": "https://example.org/kasulo",
    "contributor": "Fieldwork Union",
    "country": "DRC",
    "lat": "-10.7146",
    "lon": "25.4837",
}


def no_sites(ids):
    return {}  # an atlas that holds none of the ids


def _texts(errors: list[RowError]) -> list[str]:
    return [problem_text(e) for e in errors]


def test_a_typed_future_date_is_refused_as_a_future_date():
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    result = submit_form({**GOOD, "event_date": future}, site_lookup=no_sites)
    assert [e.field for e in result.errors] == ["event_date"]
    text = _texts(result.errors)[0]
    assert text.startswith("Date of the event: Is in the future")
    assert "required" not in text.lower()
    assert _texts(submit_form({**GOOD, "event_date": "2030-01-01"}, site_lookup=no_sites).errors)[
        0
    ].startswith("Date of the event: Is in the future")


def test_empty_required_fields_are_named_as_the_form_names_them():
    blank = {k: "" for k in GOOD}
    result = submit_form(blank, site_lookup=no_sites)
    texts = _texts(result.errors)
    for label in (
        "Site name",
        "Tier",
        "What happened",
        "Date of the event",
        "Evidence link",
        "Contributed by",
        "Country",
    ):
        assert f"{label}: Required: please fill it in." in texts, label
    joined = " ".join(texts)
    for key in ("site_name", "event_date", "evidence_url", "unit", "row"):
        assert key not in joined


def test_every_problem_at_once_even_an_unknown_site_id():
    values = {**GOOD, "evidence_url": "www.example.org", "site_id": "CID999999", "lat": "999"}
    result = submit_form(values, site_lookup=no_sites)
    fields = [e.field for e in result.errors]
    assert set(fields) == {"evidence_url", "lat", "site_id"}
    site = next(e for e in result.errors if e.field == "site_id")
    assert problem_text(site).startswith("Atlas site id: No atlas site has this id")


def test_upload_reports_unknown_site_ids_on_rows_with_other_problems():
    csv = (
        b"site_name,tier,description,event_date,evidence_url,contributor,country,site_id\n"
        b"A,Artisanal mines,x,2023-01-01,https://example.org/a,U,DRC,nosuchsite\n"
        b",factory,x,2023-01-01,https://example.org/b,U,DRC,nosuchsite2\n"
    )
    _, result = check_file(csv, "c.csv", site_lookup=no_sites, geocoder=None)
    got = {(e.row, e.field) for e in result.errors}
    assert (2, "site_id") in got and (3, "site_id") in got and (3, "site_name") in got
    frame = problems_frame(result.errors)
    assert "Site name (site_name)" in set(frame["column"])
    assert "Atlas site id (site_id)" in set(frame["column"])


def test_tier_typed_as_the_app_writes_it():
    for key, label in TIER_LABELS.items():
        record, errors = validate_form({**GOOD, "tier": label})  # validated, never saved
        assert not errors and record.tier == key, label
    bad = submit_form({**GOOD, "tier": "quarry"}, site_lookup=no_sites)
    text = problem_text(next(e for e in bad.errors if e.field == "tier"))
    assert text == "Tier: Choose one of: " + ", ".join(TIER_LABELS.values()) + "."


@pytest.mark.parametrize(
    ("field", "message", "words"),
    [
        ("event_date", "must be an ISO date YYYY-MM-DD, e.g. 2023-05-17", "year-month-day"),
        ("event_date", "not a real calendar date", "real calendar date"),
        ("evidence_url", "must not contain spaces", "Must not contain spaces."),
        ("lat", "not a number (use a dot for decimals)", "Not a number"),
    ],
)
def test_each_message_reads_as_a_sentence(field, message, words):
    text = human_message(RowError(1, field, message))
    assert words in text and text[0].isupper() and text.endswith((".", ")"))


@pytest.fixture
def page_env(tmp_path, monkeypatch):
    atlas = build_fixture_db(tmp_path / "atlas.duckdb")
    monkeypatch.setenv("RISKATLAS_DB", str(atlas))
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))
    return tmp_path / "contributions.duckdb"


def test_form_page_shows_each_problem_under_its_field(page_env):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    tier = at.selectbox[0]
    assert [tier.format_func(o) for o in tier.options] == list(TIER_LABELS.values())
    by_label = {w.label: w for w in [*at.text_input, *at.text_area]}
    by_label["Site name *"].set_value("")
    by_label["Date of the event *"].set_value("2030-01-01")
    by_label["Evidence link *"].set_value("www.example.org")
    by_label["Atlas site id (optional) *".replace(" *", "")].set_value("CID999999")
    by_label["Country *"].set_value("DRC")
    at.button[-1].click().run()
    assert not at.exception and not at.success
    summary, *under = [e.value for e in at.error]
    assert summary.startswith("Nothing was saved:")
    heads = [u.split(":")[0] for u in under]
    for label in ("Site name", "Date of the event", "Evidence link", "Atlas site id"):
        assert label in heads, (label, heads)
    date = next(u for u in under if u.startswith("Date of the event"))
    assert "in the future" in date and "required" not in date.lower()
    assert not page_env.exists()
