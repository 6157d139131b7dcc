"""The contributed layer and export: labelled as contributed, every text escaped or neutralised."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from riskatlas.contrib import store
from riskatlas.contrib.export import EXPORT_NOTE, for_export
from riskatlas.contrib.layer import LAYER_ID, RGB, contributions_layer, point_records


def _row(**over) -> dict:
    row = {
        "contribution_id": 7,
        "status": "approved",
        "site_name": "<script>alert(1)</script> {name}",
        "tier": "ewaste",
        "description": "Burning ${x} & <b>smoke</b>",
        "event_date": dt.date(2022, 11, 2),
        "evidence_url": "https://example.org/r?a=1&b=<2>",
        "contributor": "Union <i>A</i>",
        "site_id": None,
        "country_iso3": "GHA",
        "country_raw": "Ghana",
        "province": None,
        "city": "Accra",
        "lat": 5.556,
        "lon": -0.1969,
        "geo_precision": "city",
        "location_source": "gazetteer",
        "geo_note": "city",
        "minerals": ["copper"],
        "submitted_at": pd.Timestamp("2024-01-02 10:00"),
        "submitted_via": "form",
        "upload_row": None,
        "reviewed_by": "Maintainer M",
        "reviewed_at": pd.Timestamp("2024-01-05 09:00"),
        "review_note": None,
        "site_key": "contrib:7",
        "label": "contributed",
    }
    row.update(over)
    return row


def _approved(**over) -> pd.DataFrame:
    return pd.DataFrame([_row(**over)])


def test_layer_is_labelled_and_plain_text():
    layer, df = contributions_layer(_approved())
    assert layer.id == LAYER_ID and len(df) == 1
    (rec,) = layer.data
    assert rec["site_id"] == "contrib:7" and rec["contribution_id"] == 7
    tip = rec["tooltip"]
    for expected in (
        "contributed",
        "Maintainer M",
        "2022-11-02",
        "2024-01-02",
        "https://example.org/r?a=1&b=<2>",
        "Union <i>A</i>",
    ):
        assert expected in tip, expected
    # plain text, shown literally: Streamlit HTML-escapes tooltip values in the browser, and
    # "tooltip" is the record's last field, so "{name}" in it is not filled in again
    assert "&lt;" not in tip and "&#123;" not in tip
    assert list(rec)[-1] == "tooltip"
    assert "contributed by" in rec["source"]
    assert "contributed" in rec["kind"] and "not scored" in rec["risk"]
    # approximate (town) location: a hollow ring in the layer's own colour
    assert rec["fill"] == [*RGB, 0] and "approximate" in rec["precision"]


def test_contributor_point_reads_as_a_claim_and_unplaced_rows_are_left_out():
    df = pd.DataFrame(
        [
            _row(geo_precision="exact", location_source="contributor"),
            _row(contribution_id=8, site_key="contrib:8", lat=None, lon=None),
        ]
    )
    recs = point_records(df)
    assert [r["contribution_id"] for r in recs] == [7]
    assert "their claim" in recs[0]["precision"] and recs[0]["fill"][3] > 0


def test_layer_from_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "c.duckdb"))
    layer, df = contributions_layer()
    assert layer.data == [] and df.empty


def test_export_neutralises_formulas_and_says_contributed():
    out = for_export(_approved(description='=HYPERLINK("http://x")', site_name="+1 site"))
    assert out.loc[0, "description"] == '\'=HYPERLINK("http://x")'
    assert out.loc[0, "site_name"] == "'+1 site"
    assert out.loc[0, "label"] == "contributed" and out.loc[0, "minerals"] == "copper"
    assert "not from a published source" in EXPORT_NOTE
    assert store.SOURCE_LABEL == "contributed"
