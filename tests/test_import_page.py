"""The Import page: upload handling (a pure function), and the page on a session's import."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from riskatlas.importer.saved import sidecars
from riskatlas.ui import import_view
from tests.fixtures.make_fixture_db import build_fixture_db

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "import_report.py")
SMALL = "import_small.csv"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_fixture_db(tmp_path_factory.mktemp("atlas") / "atlas.duckdb")


@pytest.fixture
def env(tmp_path, monkeypatch, fixture_db):
    monkeypatch.setenv("RISKATLAS_DB", str(fixture_db))
    monkeypatch.setenv("RISKATLAS_IMPORTS", str(tmp_path / "imports"))
    monkeypatch.setenv("RISKATLAS_SUBMISSIONS", str(tmp_path / "submissions"))
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))
    return tmp_path


@pytest.fixture
def small(fixtures_dir) -> bytes:
    return (fixtures_dir / SMALL).read_bytes()


@pytest.fixture
def imported(env, small):
    """The fixture CSV imported against the fixture atlas's RMI list."""
    out = import_view.run_import(small, SMALL, "Acme Phones", "2024")
    assert out.error is None
    return out.result


def _page(result=None, upload=None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if result is not None:
        at.session_state[import_view.RESULT_KEY] = result
    if upload is not None:
        at.session_state[import_view.UPLOAD_KEY] = upload
    return at.run()


# ---- upload handling -----------------------------------------------------------------------


def test_run_import_resolves_by_id_and_name_and_keeps_unresolved(imported):
    s = imported.summary
    assert s["rows"] == 8 and s["brand"] == "Acme Phones" and s["year"] == 2024
    # issue 17: an id RMI's list lacks (CID999998) is flagged and no longer counts as resolved
    assert s["resolved_by_id"] == 3  # two printed RMI ids, one of them twice ...
    assert s["resolved_by_name"] == 1  # ... Huayou by name against the atlas's rmi_reference ...
    assert s["unresolved"] == 4  # ... and four shown, not guessed (CIDSN9999 is no RMI id)
    assert s["ids_flagged"] == 1
    assert "rmi_reference table of" in s["reference"]
    table = import_view.rows_table(imported)
    unresolved = table[table["resolved_by"] == "unresolved"]
    assert set(unresolved["smelter_name"]) == {
        "Gold refiner not in the atlas",
        "Unheard-of Tantalum Works",
        '=HYPERLINK("http://evil.example","x")',
        "Brand-numbered tin smelter",
    }
    assert unresolved["smelter_id"].isna().all() and unresolved["candidate_id"].notna().all()
    flagged = unresolved["id_problem"].notna()
    assert unresolved.loc[flagged, "id_problem"].tolist() == [
        "CID999998 is not in RMI's lists (current templates, revision log 2014-2023)"
    ]
    assert unresolved.loc[flagged, "note"].str.contains("not counted as resolved").all()
    assert (unresolved.loc[~flagged, "note"].str.contains("not guessed")).all()
    summary = import_view.summary_frame(imported).set_index("metal")
    assert summary.loc["all metals"].tolist() == [8, 3, 1, 4, 1]


@pytest.mark.parametrize(
    ("data", "name", "brand", "year", "message"),
    [
        (None, "", "Acme", "", "Choose a file"),
        (b"Metal,Smelter ID\nTin,CID000292\n", "a.csv", "  ", "", "Enter the brand"),
        (b"Metal,Smelter ID\nTin,CID000292\n", "a.csv", "Acme", "twenty", "year must be"),
        (b"Metal,Smelter ID\nTin,CID000292\n", "a.csv", "Acme", "1492", "out of range"),
        (b"<html><body><p>No table.</p></body></html>", "x.html", "Acme", "", "no table found"),
        (b"a,b,c\n1,2,3\n", "wrong.csv", "Acme", "", "no smelter table found in wrong.csv"),
        (b"%PDF-1.7\n\x00\x01garbage", "x.pdf", "Acme", "", "as a PDF"),
        (b"PK\x03\x04broken", "x.xlsx", "Acme", "", "damaged zip/xlsx"),
        (b"\x00\x01\x02\x03" * 40, "x.bin", "Acme", "", "binary file"),
    ],
)
def test_bad_uploads_give_a_message_never_an_exception(env, data, name, brand, year, message):
    out = import_view.run_import(data, name, brand, year)
    assert out.result is None and message in out.error, out.error


def test_unexpected_failures_are_words_too(env, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("riskatlas.importer.report.import_bytes", boom)
    out = import_view.run_import(b"x", "x.csv", "Acme", None)
    assert out.error == "Cannot import x.csv: RuntimeError: disk on fire"


def test_rows_csv_neutralises_formulas(imported):
    df = pd.read_csv(io.BytesIO(import_view.rows_csv(imported)), dtype=str)
    assert list(df.columns) == import_view.TABLE_COLUMNS and len(df) == 8
    names = set(df["smelter_name"])
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in df.dropna().to_numpy().ravel())


def test_map_frame_places_resolved_smelters_and_lists_the_rest(imported):
    sites = pd.DataFrame(
        {
            "site_id": ["CID000211", "CID003925", "CID002504", "XYZ"],
            "name": ["Changsha", "Umicore", "Huayou", "x"],
            "tier": ["smelter_refiner"] * 4,
            "lat": [28.2, None, 30.6, 1.0],
            "lon": [112.9, None, 120.5, 1.0],
            "geo_precision": ["city", None, "city", "exact"],
        }
    )
    frame, missing = import_view.map_frame(imported, sites)
    assert sorted(frame["site_id"]) == ["CID000211", "CID002504"]
    assert missing == ["CID003925"]  # no coordinates (CID999998 is flagged, not resolved)
    assert (frame["source_id"] == "imported this session (not saved)").all()
    assert frame.set_index("site_id").loc["CID000211", "source_ref"] == f"{SMALL}, row 2"


# ---- the page ---------------------------------------------------------------------------------


def test_page_without_an_import_shows_the_form(env):
    at = _page()
    assert not at.exception
    assert at.title[0].value == "Import a brand's smelter list"
    assert [t.label for t in at.text_input] == ["Brand *", "Reporting year (optional)"]
    at.button[0].click().run()  # Import without a file
    assert not at.exception
    assert [e.value for e in at.error] == ["Choose a file to import (HTML, PDF, xlsx or CSV)."]
    assert not at.metric


def test_page_shows_summary_rows_and_the_session_map(env, imported, small):
    at = _page(imported)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Rows found": "8",
        "Resolved by ID": "3",
        "Resolved by name": "1",
        "Unresolved": "4",
    }
    rows = next(d.value for d in at.dataframe if "note" in d.value.columns)
    assert len(rows) == 8 and (rows["resolved_by"] == "unresolved").sum() == 4
    assert "**Map: imported this session (not saved)**" in [m.value for m in at.markdown]
    (chart,) = at.get("deck_gl_json_chart")
    spec = json.loads(chart.proto.json)
    assert not spec.get("mapProvider")
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids[:2] == ["ocean", "countries"]
    points = [p for layer in spec["layers"][2:] for p in layer["data"]]
    assert {p["site_id"] for p in points} == {"CID000211", "CID003925", "CID002504"}
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("1 row(s) print an RMI id that RMI's lists contradict")
    flagged = next(d.value for d in at.dataframe if "id_problem" in d.value.columns
                   and "note" not in d.value.columns)  # fmt: skip
    assert flagged["id_as_reported"].tolist() == ["CID999998"]
    assert all("imported this session (not saved)" in p["tip"] for p in points)
    (download,) = at.get("download_button")
    assert download.proto.label == "Download the rows (CSV)"
    # every resolved id is placed; the flagged CID999998 is no longer a resolved id to place
    assert any("0 resolved id(s) the atlas cannot place" in c.value for c in at.caption)


def test_save_button_submits_the_import_for_review(env, imported, small):
    """Issue 21: a save from the browser is a pending submission, never an input of the build;
    the message names no server path and no command a browser user cannot run."""
    from riskatlas.contrib.import_queue import list_submissions

    upload = {"data": small, "file_name": SMALL, "brand": "Acme Phones", "year": 2024}
    at = _page(imported, upload)
    at.text_input(key="import_saved_by").set_value("Desk 3")
    at.button(key="import_save").click().run()
    assert not at.exception and not at.error
    (msg,) = [s.value for s in at.success]
    assert "Submitted for review as import 1" in msg and "maintainer" in msg
    assert str(env) not in msg and "python -m" not in msg
    assert sidecars(env / "imports") == []
    (sub,) = list_submissions("pending").to_dict("records")
    assert sub["submitted_by"] == "Desk 3" and sub["brand"] == "Acme Phones"
    assert sub["year"] == 2024 and sub["sha256"] == imported.sha256
    assert (env / "submissions" / sub["stored_file"]).read_bytes() == small


def test_save_without_an_upload_says_so(env, imported):
    at = _page(imported)
    at.button(key="import_save").click().run()
    assert [e.value for e in at.error] == ["Nothing to save: import a file first."]
    assert sidecars(env / "imports") == []


def test_page_without_an_atlas_still_shows_the_rows(tmp_path, monkeypatch, imported):
    monkeypatch.setenv("RISKATLAS_DB", str(tmp_path / "no_atlas.duckdb"))
    at = _page(imported)
    assert not at.exception
    assert any("cannot be placed without the atlas database" in i.value for i in at.info)
    assert not at.get("deck_gl_json_chart")
    assert any("note" in d.value.columns for d in at.dataframe)


def test_page_shows_rejected_lines_beside_the_rows_read(env, fixtures_dir):
    """Issue #16: lines read but not smelter rows are listed with their reason, not dropped."""
    doc = fixtures_dir / "importer_layout_prose_appendix.pdf"
    out = import_view.run_import(doc.read_bytes(), doc.name, "Example", "2025")
    assert out.error is None
    n_rejected = out.result.summary["rejected"]
    assert n_rejected > 0
    at = _page(out.result)
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Rows read (14)", f"Rows rejected ({n_rejected})"]
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert len(rejected) == n_rejected
    assert rejected["reason"].str.startswith("not a smelter row").all()
    assert rejected["ref"].str.startswith("page ").all()
    rows = next(d.value for d in at.dataframe if "note" in d.value.columns)
    # each row prints an RMI id: resolved by it, or flagged where the fixture atlas's small RMI
    # list lacks it (issue 17)
    assert len(rows) == 14
    assert (rows["resolved_by"].eq("id") | rows["id_problem"].notna()).all()


def test_table_lines_naming_no_smelter_are_listed_as_rejected(env, imported):
    at = _page(imported)
    assert [t.label for t in at.tabs] == ["Rows read (8)", "Rows rejected (1)"]
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert rejected.to_dict("records")[0] | {"metal": None} == {
        "ref": "row 8",
        "reason": "no smelter name or ID in this table line",
        "text": "Gold | Ghana | Conformant",
        "metal": None,
        "smelter_name": None,
        "country": None,
        "section": None,
    }


def test_run_import_reads_the_brand_as_the_command_line_does(env, small):
    from riskatlas.names import brand_names

    brands = brand_names({"samsung-electronics": "Samsung Electronics", "apple": "Apple"})
    out = import_view.run_import(small, SMALL, "Samsung", "2024", brands=brands)
    assert out.error is None and out.result.brand == "Samsung Electronics"
    out = import_view.run_import(small, SMALL, "Samsung SDI", "2024", brands=brands)
    assert out.result is None
    assert "Samsung Electronics" in out.error and "New brand" in out.error
    assert "'Samsung SDI'" in out.error.replace("\\", "")  # the typed name, markdown-escaped
    out = import_view.run_import(small, SMALL, "Samsung SDI", "2024", brands=brands, new_brand=True)
    assert out.error is None and out.result.brand == "Samsung SDI"
    out = import_view.run_import(small, SMALL, "Acme Phones", "2024", brands=brands)
    assert out.error is None and out.result.brand == "Acme Phones"  # a new brand, as before


# ---- issue 17: the page's messages -------------------------------------------------------------


def test_an_empty_file_is_called_empty_not_missing(env):
    out = import_view.run_import(b"", "list.csv", "Acme", "")
    assert out.result is None
    text = out.error.replace("\\", "")  # the file name is markdown-escaped
    assert text.startswith("list.csv is empty (0 bytes): there is nothing to import.")
    assert "Choose a file" not in out.error


def test_one_size_limit_stated_where_the_uploader_is(env):
    import tomllib

    from riskatlas import settings

    config = tomllib.loads((Path(PAGE).parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == settings.IMPORT_MAX_MB == 50
    at = _page()
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == settings.IMPORT_MAX_MB
    assert uploader.proto.label == "Disclosure file (at most 50 MB)"
    big = b"x" * (int(settings.IMPORT_MAX_BYTES.value) + 1)
    assert (
        import_view.run_import(big, "big.pdf", "Acme", "").error == "big.pdf is larger than 50 MB."
    )


def test_saving_says_a_maintainer_rebuilds_and_names_no_path(env, imported, small):
    upload = {"data": small, "file_name": SMALL, "brand": "Acme Phones", "year": 2024}
    at = _page(imported, upload)
    at.button(key="import_save").click().run()
    (msg,) = [s.value for s in at.success]
    assert "a maintainer checks it and, once it is approved, rebuilds the atlas" in msg
    assert "/" not in msg and "python" not in msg and "build`" not in msg
