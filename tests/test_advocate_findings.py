"""The advocate's journey on the real atlas (issue 17): sites by what a visit found, by province,
and the downloads carrying the latest visit's findings. Expected sets come from SQL on the raw
IPIS file (read by DuckDB, not by the adapter), independently of the app's code."""

from __future__ import annotations

import io
import json
import shutil

import duckdb
import pandas as pd
import pytest

from riskatlas import exports, findings, sql
from riskatlas.filters import Vocabulary, parse
from riskatlas.paths import SHARED_DATA
from riskatlas.view import View
from tests.apptest_support import deck_spec, run_app

pytestmark = pytest.mark.slow

IPIS_CSV = SHARED_DATA / "ipis_drc_mine_sites" / "cod_mines_curated_all_opendata_p_ipis.csv"
# The latest visit per site straight from the published file: latest visit_date, then highest
# vid (as SOURCE.md's latest-visit file); the chosen column's raw answer at that visit.
LATEST_SQL = """
WITH v AS (
    SELECT pcode, vid::BIGINT AS vid, visit_date::DATE AS visit_date,
           try_cast({col} AS DOUBLE) AS answer
    FROM read_csv(?, all_varchar = true)
    WHERE pcode IS NOT NULL AND try_cast(visit_date AS DATE) IS NOT NULL
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY pcode ORDER BY visit_date DESC, vid DESC) AS r
    FROM v
)
SELECT pcode, vid, visit_date, answer FROM ranked WHERE r = 1
"""


def _latest(col: str) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        return con.execute(LATEST_SQL.format(col=col), [str(IPIS_CSV)]).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    return shutil.copy(atlas_db, tmp_path_factory.mktemp("advocate") / "atlas.duckdb")


@pytest.fixture(autouse=True)
def _use_real_db(real_db, monkeypatch):
    monkeypatch.setenv("RISKATLAS_DB", str(real_db))


@pytest.fixture(scope="module")
def con(real_db):
    c = duckdb.connect(str(real_db), read_only=True, config={"enable_external_access": False})
    yield c
    c.close()


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _map_ids(at) -> set[str]:
    spec = deck_spec(at.get("deck_gl_json_chart")[0])
    return {
        d["site_id"]
        for layer in spec["layers"]
        if layer["id"].startswith("sites-")
        for d in layer["data"]
    }


def _vocab(con) -> Vocabulary:
    prov = sql.run(con, "vocab_provinces")
    countries = sql.run(con, "vocab_countries")
    return Vocabulary(
        brands=dict(sql.run(con, "vocab_brands")[["brand_id", "name"]].values),
        minerals=tuple(sql.run(con, "vocab_minerals")["mineral"]),
        countries=dict(zip(countries["country_iso3"], countries["name"], strict=True)),
        years=tuple(int(y) for y in sql.run(con, "vocab_years")["year"]),
        provinces=dict(zip(prov["province_key"], prov["name"], strict=True)),
    )


def _view(con, params: dict[str, str]) -> View:
    state = parse(params, _vocab(con))
    assert not state.notices, state.notices

    def run(name, p, includes):
        return sql.run(con, name, p, includes)

    return View.open(state, run)


def test_child_labour_at_latest_visit_on_the_map_and_in_the_table(con):
    raw = _latest("childunder15")
    expected = set(raw.loc[raw["answer"] == 1, "pcode"])
    assert len(expected) == 440  # SOURCE.md: 440 sites' latest visit found children under 15
    located = {
        r[0] for r in con.execute("SELECT site_id FROM sites WHERE lat IS NOT NULL").fetchall()
    }
    at = run_app(
        params={"country": "COD", "tier": "artisanal_mine", "finding": "child_labour"}, timeout=180
    )
    _ok(at)
    assert _map_ids(at) == expected & located
    table = at.dataframe[0].value
    assert set(table["site"].str.removeprefix("site?site=")) == expected
    assert table["latest visit found"].str.contains("child labour").all()
    text = " ".join(i.value for i in at.info)
    assert "latest IPIS visit" in text and "earlier visits do not count" in text
    assert "440 sites" in " ".join(m.value for m in at.markdown)
    labels = [b.label for b in at.get("download_button")]
    assert labels[0] == "CSV (440 rows)"


def test_any_visit_counts_earlier_visits(con):
    con2 = duckdb.connect()
    ever = {
        r[0]
        for r in con2.execute(
            "SELECT DISTINCT pcode FROM read_csv(?, all_varchar = true) "
            "WHERE try_cast(childunder15 AS DOUBLE) = 1",
            [str(IPIS_CSV)],
        ).fetchall()
    }
    con2.close()
    view = _view(con, {"finding": "child labour", "finding_when": "any"})
    assert set(view.frame["site_id"]) == ever
    assert len(ever) > 440


def test_csv_carries_the_latest_visit_findings_with_dates(con):
    view = _view(con, {"country": "COD", "tier": "artisanal_mine", "finding": "child_labour"})
    csv = pd.read_csv(io.BytesIO(exports.to_csv(view.frame)), dtype=str)
    for col in findings.COLUMNS:
        assert col in csv.columns
    assert len(csv) == 440
    assert (csv["finding_child_labour"] == "yes").all()
    raw = _latest("childunder15").set_index("pcode")
    got = csv.set_index("site_id")
    assert (got["latest_visit_date"].str[:10] == raw.loc[got.index, "visit_date"].astype(str)).all()
    assert (got["latest_visit_ref"] == "vid=" + raw.loc[got.index, "vid"].astype(str)).all()
    # another finding's column says what the same latest visit answered (empty = not asked)
    mercury = _latest("mercury").set_index("pcode").loc[got.index, "answer"]
    want = mercury.map({1.0: "yes", 0.0: "no"})
    assert (got["finding_mercury"].fillna("") == want.fillna("")).all()
    # the Excel and GeoJSON downloads carry the same columns
    geo = json.loads(exports.to_geojson(view.frame))
    assert set(findings.COLUMNS) <= set(geo["features"][0]["properties"])


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("armed_presence", "presence"),
        ("armed_interference", "interference"),
        ("mercury", "mercury"),
        ("women", "women"),
    ],
)
def test_each_single_field_finding_matches_the_raw_file(con, key, column):
    raw = _latest(column)
    expected = set(raw.loc[raw["answer"] == 1, "pcode"])
    assert set(_view(con, {"finding": key}).frame["site_id"]) == expected


def test_group_findings_any_armed_group(con):
    """forced_labour and illegal_taxation: any of the three armed groups' columns at the visit."""
    cols = {
        "forced_labour": [f"forced_labour_armed_group{g}" for g in (1, 2, 3)],
        "illegal_taxation": [
            f"{k}_armed_group{g}"
            for g in (1, 2, 3)
            for k in ("taxation", "commerce_taxation", "entrance_taxation")
        ],
    }
    for key, names in cols.items():
        expr = "greatest(" + ", ".join(f"coalesce(try_cast({c} AS DOUBLE), 0)" for c in names) + ")"
        raw = _latest(expr)
        expected = set(raw.loc[raw["answer"] == 1, "pcode"])
        assert expected, key
        assert set(_view(con, {"finding": key}).frame["site_id"]) == expected, key


def test_findings_combine_as_any_of_them_and_with_a_brand(con):
    both = _view(con, {"finding": "mercury,child_labour"})
    one = set(_view(con, {"finding": "mercury"}).frame["site_id"])
    two = set(_view(con, {"finding": "child_labour"}).frame["site_id"])
    assert set(both.frame["site_id"]) == one | two
    branded = _view(con, {"brand": "samsung-electronics", "finding": "child_labour"})
    assert set(branded.frame["site_id"]) <= two
    assert (branded.frame["kind"] == "inferred").all() and not branded.empty


def test_province_filter_names_as_people_type_them(con):
    (n_sud,) = con.execute(
        "SELECT count(*) FROM sites WHERE tier = 'artisanal_mine' AND province = 'Sud-Kivu'"
    ).fetchone()
    for typed in ("Sud-Kivu", "sud kivu", "SUD KIVU", "Süd-Kivu"):
        view = _view(con, {"tier": "artisanal_mine", "province": typed})
        assert view.n_rows == n_sud, typed
        assert set(view.frame["province"]) == {"Sud-Kivu"}
    jiangsu = _view(con, {"tier": "factory", "province": "jiangsu"})
    assert jiangsu.n_rows > 400 and set(jiangsu.frame["country_iso3"]) == {"CHN"}
    assert set(jiangsu.frame["province_basis"]) >= {
        "geocoded: GeoNames admin1 of the place the site was put at"
    }


def test_most_factories_have_a_province(con):
    (n, with_province) = con.execute(
        "SELECT count(*), count(province) FROM map_sites WHERE tier = 'factory'"
    ).fetchone()
    assert with_province / n > 0.95


def test_unknown_province_and_finding_are_notices(con):
    state = parse(
        {"province": "Atlantis", "finding": "dragons", "finding_when": "soon"}, _vocab(con)
    )
    text = " ".join(state.notices)
    assert "Atlantis" in text and "dragons" in text and "soon" in text
    assert state.findings == () and state.provinces == () and state.finding_when == "latest"


def test_map_page_province_column_and_url(con):
    at = run_app(params={"tier": "factory", "province": "Jiangsu", "brand": "apple"}, timeout=180)
    _ok(at)
    table = at.dataframe[0].value
    assert "province" in table.columns and len(table)
    assert set(table["province"].dropna()) <= {"Jiangsu", "Jiangsu Sheng"}


def test_sidebar_offers_findings_and_writes_the_url(con):
    at = run_app(params={"country": "COD", "tier": "artisanal_mine"}, timeout=180)
    _ok(at)
    found = next(m for m in at.sidebar.multiselect if m.label == "Found at a site visit")
    assert [found.format_func(o) for o in found.options][0] == "Child labour (under 15)"
    found.set_value(["child_labour"]).run()
    _ok(at)
    assert at.query_params["finding"] in ("child_labour", ["child_labour"])
    assert "440 sites" in " ".join(m.value for m in at.markdown)
    when = next(r for r in at.sidebar.radio if r.label == "Which visits count")
    when.set_value("any").run()
    _ok(at)
    assert at.query_params["finding_when"] in ("any", ["any"])
    assert "any IPIS visit" in " ".join(i.value for i in at.info)
