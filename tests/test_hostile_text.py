"""Hostile text in every field the app shows (AppTest, downloads, the brand report): markdown and
HTML from the data are escaped, tooltips cannot carry markup, spreadsheet formulas are defused.

The atlas is a copy of the session's real build with hostile text put into a few rows
(tests/hostile_support.py). The browser half is tests/test_hostile_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import markupsafe
import pandas as pd
import pytest

from riskatlas.ui.common import md_text
from tests.apptest_support import deck_spec
from tests.hostile_support import (
    FORMULA_STARTS,
    MINERAL,
    TEXTS,
    dataframe_text,
    make_hostile_db,
    markdown_bodies,
    run_page,
)


@pytest.fixture(scope="module")
def hostile(atlas_db, tmp_path_factory):
    return make_hostile_db(atlas_db, tmp_path_factory.mktemp("hostile") / "atlas.duckdb")


@pytest.fixture(autouse=True)
def _use_hostile_db(hostile, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(hostile.path))


ALL_TEXTS = [*TEXTS.values(), MINERAL]
CODE_SPAN = re.compile(r"`[^`]*`")


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def assert_markdown_escaped(at) -> list[str]:
    """No hostile text reaches a markdown-rendered element unescaped (inline code excepted: it
    shows literally). Returns the markdown bodies, for positive checks."""
    bodies = markdown_bodies(at)
    for kind, body in bodies:
        plain = CODE_SPAN.sub("", body)
        for text in ALL_TEXTS:
            assert text not in plain, f"unescaped data text in a {kind}: {body[:200]!r}"
    return [b for _, b in bodies]


# --- what Streamlit 1.67's frontend does with a deck tooltip (DeckGlJsonChart.tsx) -------------


def _js_escape(value) -> str:
    table = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
    return re.sub(r"[&<>\"']", lambda m: table[m.group()], str(value))


def streamlit_tooltip(tooltip: dict, obj: dict) -> tuple[str, str]:
    """('html' or 'text', the tooltip markup) for a hovered object, as Streamlit builds it.

    A port of the frontend's interpolation: the {key} slots are found in the template first,
    then each is replaced once, in order, by the object's value (properties.<key> for GeoJSON),
    HTML-escaped when the tooltip is 'html'.
    """
    mode = "html" if tooltip.get("html") else "text"
    out = tooltip[mode]
    for slot in re.findall(r"\{.*?\}", out):
        key = slot[1:-1]
        if key in obj:
            value = obj[key]
        elif isinstance(obj.get("properties"), dict) and key in obj["properties"]:
            value = obj["properties"][key]
        else:
            continue
        text = _js_escape(value) if mode == "html" else str(value)
        out = out.replace(slot, text, 1)
    return mode, out


class _Markup(HTMLParser):
    """Tags, attributes and the text a browser shows for a tooltip's innerHTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "br":
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(data)


def rendered(mode: str, markup: str) -> tuple[list[tuple[str, list]], str]:
    if mode == "text":  # innerText: never parsed as HTML
        return [], markup
    parser = _Markup()
    parser.feed(markup)
    parser.close()
    return parser.tags, "".join(parser.text)


def _deck(at) -> tuple[dict, dict]:
    chart = at.get("deck_gl_json_chart")[0]
    return deck_spec(chart), json.loads(chart.proto.tooltip)


def _records(spec: dict) -> dict[str, dict]:
    return {
        d["site_id"]: d
        for layer in spec["layers"]
        if layer["id"].startswith("sites-")
        for d in layer["data"]
    }


# --- the Map ------------------------------------------------------------------------------------


def test_map_single_site_view_escapes_title_and_keeps_table_text(hostile):
    at = run_page("pages/map.py", {"mineral": MINERAL})
    _ok(at)
    bodies = assert_markdown_escaped(at)
    assert md_text(MINERAL) in at.title[0].value
    assert any("1 sites" in b for b in bodies)  # the hostile mineral selects exactly one site
    table = at.dataframe[0].value
    assert list(table["name"]) == [TEXTS["site_name"]]  # dataframes hold the text as it is


def test_map_tooltip_markup_cannot_run(hostile):
    """Whatever the escaping split between server and frontend, the tooltip a browser builds
    holds only the template's own tags, with no attributes (no handler, no URL)."""
    at = run_page("pages/map.py", {"mineral": MINERAL})
    spec, tooltip = _deck(at)
    template_tags = {t for t, _ in rendered("html", tooltip.get("html", ""))[0]}
    records = _records(spec)
    assert set(records) == {hostile.site_id}
    mode, markup = streamlit_tooltip(tooltip, records[hostile.site_id])
    tags, _ = rendered(mode, markup)
    assert {t for t, _ in tags} <= template_tags, tags
    assert all(not attrs for _, attrs in tags), tags
    # the country outlines' names (a hostile country) are data for a non-pickable layer
    outlines = next(layer for layer in spec["layers"] if layer["id"] == "countries")
    assert not outlines.get("pickable")


def test_map_tooltip_shows_the_text_literally(hostile):
    at = run_page("pages/map.py", {"mineral": MINERAL})
    spec, tooltip = _deck(at)
    mode, markup = streamlit_tooltip(tooltip, _records(spec)[hostile.site_id])
    _, text = rendered(mode, markup)
    assert TEXTS["site_name"] in text
    assert TEXTS["site_ref"] in text
    assert MINERAL in text
    assert text.count("Source:") == 1 and "{tip}" not in text.replace(TEXTS["site_name"], "")


def test_map_brand_view_escapes_brand_and_names(hostile):
    at = run_page("pages/map.py", {"brand": hostile.brand_id, "mineral": "cobalt"})
    _ok(at)
    bodies = assert_markdown_escaped(at)
    assert md_text(TEXTS["brand"]) in at.title[0].value
    assert any("Sources:" in b and md_text(TEXTS["source_title"]) in b for b in bodies)
    cells = dataframe_text(at)
    for key in ("smelter_name", "link_ref", "explanation"):
        assert TEXTS[key] in cells, key
    sankey = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = sankey["data"][0]["node"]["label"]
    assert any("HX-brand" in label for label in labels)


@pytest.mark.parametrize(
    "page,params",
    [
        ("pages/site.py", None),
        ("pages/sources.py", {}),
        ("pages/countries.py", {"country": "COD"}),
        ("pages/brands.py", {}),
        ("pages/minerals.py", {"mineral": "gold"}),
    ],
)
def test_other_pages_escape_markdown(hostile, page, params):
    if params is None:
        params = {"site": hostile.site_id}
    at = run_page(page, params)
    _ok(at)
    assert_markdown_escaped(at)


def test_site_page_shows_every_hostile_field(hostile):
    at = run_page("pages/site.py", {"site": hostile.site_id})
    _ok(at)
    bodies = assert_markdown_escaped(at)
    assert at.title[0].value == md_text(TEXTS["site_name"])
    joined = "\n".join(bodies)
    for key in ("city", "province", "country", "geo_note", "site_ref"):
        assert md_text(TEXTS[key]) in joined, key
    assert md_text(TEXTS["source_title"]) in joined  # the sources caption
    cells = dataframe_text(at)
    for key in ("fact_text", "fact_formula", "site_record"):
        assert TEXTS[key] in cells, key


def test_sources_page_tables_hold_the_raw_text(hostile):
    at = run_page("pages/sources.py", {})
    _ok(at)
    assert_markdown_escaped(at)
    cells = dataframe_text(at)
    for key in ("source_title", "source_publisher", "reject_reason"):
        assert TEXTS[key] in cells, key
    assert "HX-raw" in cells


# --- downloads ----------------------------------------------------------------------------------


def _view(params: dict) -> pd.DataFrame:
    from riskatlas.filters import parse
    from riskatlas.ui.data import filtered_set, vocabulary

    return filtered_set(parse(params, vocabulary())).frame


def _formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: a formula lead that is not a plain number."""
    bad = []
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    float(cell)
                except ValueError:
                    bad.append(cell)
    return bad


@pytest.mark.parametrize("view", ["single", "brand"])
def test_csv_download_neutralises_formulas(hostile, view):
    from riskatlas import exports

    params = (
        {"mineral": MINERAL}
        if view == "single"
        else {"brand": hostile.brand_id, "mineral": "cobalt"}
    )
    frame = _view(params)
    rows = list(csv.reader(io.StringIO(exports.to_csv(frame).decode("utf-8"))))
    assert len(rows) == len(frame) + 1
    assert _formula_cells(rows) == []
    cells = [c for r in rows for c in r]
    if view == "single":
        assert TEXTS["site_name"] in cells  # not formula-led: unchanged
        assert any(c.startswith("'gold; =1+1") or c.startswith("gold; =1+1") for c in cells)
    else:
        assert "'" + TEXTS["smelter_name"] in cells
        assert any(c.startswith("'" + TEXTS["link_ref"]) for c in cells)
        assert any(c.startswith("'" + TEXTS["link_status"]) for c in cells)


def test_neutralise_covers_every_trigger():
    from riskatlas.exports import neutralise, to_csv

    for lead in FORMULA_STARTS:
        assert neutralise(lead + "1+1") == "'" + lead + "1+1"
    assert neutralise("plain") == "plain" and neutralise(-3.5) == -3.5
    df = pd.DataFrame(
        {
            "site_id": ["a", "b"],
            "name": ["\t=1+1", "\r@SUM(A1)"],
            "minerals": [["=cmd|' /C calc'!A0", "gold"], ["gold"]],
            "lat": [-1.5, 2.0],
        }
    )
    rows = list(csv.reader(io.StringIO(to_csv(df).decode("utf-8"))))
    assert _formula_cells(rows) == []
    assert rows[1][rows[0].index("minerals")].startswith("'=cmd")


def test_contributed_rows_export_neutralised():
    from riskatlas.contrib.export import for_export

    df = pd.DataFrame(
        [
            {
                "site_name": TEXTS["smelter_name"],
                "description": FORMULA_STARTS[3] + "SUM(1)",
                "contributor": '=HYPERLINK("http://x")',
                "minerals": ["-cmd", "gold"],
                "review_note": "\t=1",
            }
        ]
    )
    out = for_export(df)
    cells = [str(v) for v in out.iloc[0].tolist() if isinstance(v, str)]
    assert _formula_cells([cells]) == []
    assert out.iloc[0]["site_name"] == "'" + TEXTS["smelter_name"]


def test_xlsx_of_a_neutralised_export_has_no_formula(hostile, tmp_path):
    """The Excel download holds text cells, never formulas."""
    import openpyxl

    from riskatlas import exports

    path = tmp_path / "view.xlsx"
    path.write_bytes(exports.to_xlsx(_view({"brand": hostile.brand_id, "mineral": "cobalt"})))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["sites", "about"]
    ws = wb["sites"]
    types = {cell.data_type for row in ws.iter_rows() for cell in row}
    assert "f" not in types  # 'f' = formula
    values = [cell.value for row in ws.iter_rows() for cell in row]
    assert "'" + TEXTS["smelter_name"] in values


# --- the brand report ---------------------------------------------------------------------------


def _report_html(path) -> str:
    import duckdb

    from riskatlas.report import gather, render_html

    con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    try:
        return render_html(con, gather(con, "samsung-electronics", minerals=["cobalt"]))
    finally:
        con.close()


def test_brand_report_html_escapes_every_text(hostile):
    from lxml import html as lhtml

    page = _report_html(hostile.path)
    doc = lhtml.fromstring(page)
    assert not doc.xpath("//script")
    assert not doc.xpath("//iframe | //svg | //object | //embed")
    for el in doc.iter():
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), (el.tag, attr)
            assert not value.strip().lower().startswith("javascript:"), (el.tag, attr)
    assert all(src.startswith("data:image/png") for src in doc.xpath("//img/@src"))
    text = doc.text_content()
    assert TEXTS["brand"] in text  # shown literally
    assert TEXTS["smelter_name"] in text
    assert str(markupsafe.escape(TEXTS["brand"])) in page


def test_brand_report_survives_dollar_signs_in_a_brand_name(hostile, tmp_path):
    import shutil

    import duckdb

    path = shutil.copy(hostile.path, tmp_path / "dollar.duckdb")
    con = duckdb.connect(str(path))
    con.execute(
        "UPDATE brands SET name = $n WHERE brand_id = 'samsung-electronics'",
        {"n": "HX $\\alert{1}$ Samsung"},
    )
    con.close()
    assert "HX $\\alert{1}$ Samsung" in _report_html(path)
