"""The Brands page's Report button downloads the exposure report for the current filters."""

from __future__ import annotations

import shutil

import pytest

from tests.apptest_support import run_app

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _real_db(atlas_db, tmp_path_factory, monkeypatch):
    copy = shutil.copy(atlas_db, tmp_path_factory.mktemp("report_button") / "atlas.duckdb")
    monkeypatch.setenv("RISKATLAS_DB", str(copy))


def _buttons(at):
    return [b for b in at.get("download_button") if "Report" in str(b.proto.label)]


def test_report_button_for_brand_and_mineral():
    at = run_app(
        "pages/brands.py", {"brand": "samsung-electronics", "mineral": "cobalt"}, timeout=240
    )
    assert not at.exception, [e.value for e in at.exception]
    buttons = _buttons(at)
    assert len(buttons) == 1
    # issue 17: the label names the brand as people know it, never its id
    assert buttons[0].proto.label == "Report: Samsung Electronics (cobalt)"


def test_no_brand_no_button_but_a_hint():
    at = run_app("pages/brands.py", {}, timeout=240)
    assert not at.exception
    assert not _buttons(at)
    assert any("Pick a brand" in i.value for i in at.info)
