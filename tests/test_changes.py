"""What changed between two years of a brand's lists, on the real atlas (issue 20): the figures
reconcile, spelling changes are matched (22 pairs checked by hand against the printed lists),
look-alike addresses are not merged, and the view and its exports work."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from riskatlas import changes, sql

# Checked by hand in the Apple lists (CommonWealth's compilation of Apple's PDFs): the same
# supplier at the same address, printed differently in the two years. (from, to, supplier as
# printed in the earlier year, address in the earlier year, address in the later year)
HAND_CHECKED = [
    (2017, 2018, "ams AG", "Tobelbaderstrasse 30 Unterpremstaetten Styria Austria",
     "Tobelbaderstrasse 30 Premstaetten Styria Austria"),
    (2017, 2018, "AAC Technologies Holdings Inc.",
     "No 8 Fengqi Road High Tech Industry Development Area Wujin District Changzhou Jiangsu China",
     "No 8 Fengqi Road Hi-Tech Industry Development Area Wujin District Changzhou Jiangsu China"),
    (2017, 2018, "Amphenol Corp.", "No 689 Shennan Road Xin Zhuang Industry Park Shanghai China",
     "No 689 Shen Nan Road Xin Zhuang Industry Park Shanghai China"),
    (2017, 2018, "Catcher Technology Co., Ltd.",
     "XiangTai Road West Side Lion River South Side Economic Development Zone Taizhou Jiangsu "
     "Guangdong China",
     "XiangTai Road west side Lion River south side Economic Development Zone Taizhou Jiangsu "
     "China"),
    (2017, 2018, "Cheng Uei Precision Industry Co., Ltd. (Foxlink)",
     "8th Long Keng Industry District QianMei Road DongKeng Dongguan Guangdong China",
     "8th Long Keng Industry District QianMei Road Dong Keng Dongguan Guangdong China"),
    (2017, 2018, "Cheng Uei Precision Industry Co., Ltd. (Foxlink)",
     "No 6 Zhengwei Road Jinxi Town Kunshan Jiangsu China",
     "No 6 Zheng Wei Road Jin Xi Town Kunshan Jiangsu China"),
    (2017, 2018, "Genius Electronic Optical Co., Ltd.",
     "No 8 Chuangxin Road Torch Hi-tech Indsl Zone Xiamen Fujian China",
     "No 8 Chuangxin Road Torch Hi-tech Industrial Zone Xiamen Fujian China"),
    (2017, 2018, "Hon Hai Precision Industry Co., Ltd. (Foxconn)",
     "No 1216 Lanhua Road Jincheng Economic and Technology Development Zone Jincheng Shanxi China",
     "No 1216 Lanhua Road Jincheng Economic and Technology Development Zone Jincheng ShanxiChina"),
    (2017, 2018, "Hon Hai Precision Industry Co., Ltd. (Foxconn)",
     "Wancheng warehouse 203 No 6 Hongmian Road Fu-tian tax free zone Shenzhen Guangdong China",
     "Wancheng Warehouse 203 No 6 Hongmian Road Fu-tian Tax Free Zone Shenzhen GuangdongChina"),
    (2017, 2018, "INB Electronics Ltd.",
     "Building 2nd 1st Area Industrial Area of Huaide Cuihai Fengtang Road Fuyong Street "
     "Shenzhen Guangdong China",
     "Building 2 Area 1 Industrial Area of Huaide Cuihai Fengtang Road Fuyong Street Shenzhen "
     "Guangdong China"),
    (2017, 2018, "Kemet Corp.", "No 9 Ri-xin Road Xinglin Ji-mei Zone Xiamen Fujian China",
     "No 9 Rixin Road Xinglin Jimei Zone Xiamen Fujian China"),
    (2017, 2018, "LG Chem Ltd.",
     "No 17 Hengyi Road Nanjing Economic & Technology Development Zone Nanjing Jiangsu China",
     "No 17 HengYi Road Nanjing Economy & Technology Development Zone Nanjing Jiangsu China"),
    (2017, 2018, "NOK Corp.", "1 Floor No 22 Xiang-Ming Road Xiang-An District Xiamen Fujian China",
     "1 Floor No 22 XiangMing Road Xiang'an District Xiamen Fujian China"),
    (2017, 2018, "Pegatron Corp.",
     "No 3768 XiuYan Road Kang Qiao Town Pu Dong New District Shanghai China",
     "No 3768 XiuYan Road Kang Qiao Town PuDong New District Shanghai China"),
    (2017, 2018, "Toyo Rikagaku Kenkyusho Co., Ltd.",
     "No 188 Gao Ding Road Kunshan Economic & Technical Development Zone Kunshan Jiangsu China",
     "No 188 Gaoding Road Kunshan Economic & Technical Development Zone Kunshan Jiangsu China"),
    (2013, 2014, "AT&S", "No 5000 Jin Du Rd Shanghai China", "No 5000 Jindu Road Shanghai China"),
    (2013, 2014, "Alps Electric Co Ltd",
     "Xinxing Industry Zone Xingfa South St Wushaliwu Changan Town Dongguan Guangdong China",
     "Xinxing Industry Zone Xingfa South Street Wushaliwu Changan Town Dongguan Guangdong China"),
    (2013, 2014, "Career Technology (Mfg.) Co., Ltd.",
     "No 18 Jinshajiang South Rd Kunshan Jiangsu China",
     "No 18 Jin Sha Jiang South Road Kunshan Jiangsu China"),
    (2013, 2014, "Diodes Incorporated",
     "Plant No 1 Lane 18 San Zhuang Rd Songjiang Export Zone Shanghai China",
     "Plant No 1 Lane 18 Sanzhuang Road Songjiang Export Zone Shanghai China"),
    (2013, 2014, "Henkel Corp.",
     "No 90 Zhu Jiang Rd Yantai Economic Technological Development Zone Yantai Shandong China",
     "No 90 Zhujiang Road Yantai Economic Technological Development Zone Yantai Shandong China"),
    (2013, 2014, "Hon Hai Precision Industry Company Limited (Foxconn)",
     "No 299 Nan Song Rd Yu Shan Town Kunshan Jiangsu China",
     "No 299 Nansong Road Yushan Town Kunshan Jiangsu China"),
    (2013, 2014, "Dynapack International Technology Corporation",
     "No 8 Hua-Gang Rd Wujiang Economic and Technological Development Zone Suzhou Jiangsu China",
     "No 8 Huagang Road Wujiang Economic and Technological Development Zone Suzhou Jiangsu China"),
]  # fmt: skip

# Alike but not the same site: another house number, another industrial park in the same town.
NOT_THE_SAME = [
    (2017, 2018, "No 168 Hezuo Road CDHT Western Park Chengdu Sichuan China",
     "No 888 Hezuo Road CDHT Western Park Chengdu Sichuan China"),
    (2013, 2014, "Junda Industrial Park Dongkeng Town Dongguan Guangdong China",
     "Zhengwei Industrial Park Dongkeng Town Dongguan Guangdong China"),
]  # fmt: skip


@pytest.fixture(scope="module")
def links(atlas_db):
    con = duckdb.connect(str(atlas_db), read_only=True)
    cache: dict[tuple[int, int], pd.DataFrame] = {}

    def get(a: int, b: int) -> pd.DataFrame:
        if (a, b) not in cache:
            cache[a, b] = sql.run(
                con, "brand_year_links", {"brand": "apple", "year_from": a, "year_to": b}
            )
        return cache[a, b]

    yield get
    con.close()


@pytest.mark.parametrize("years", [(2012, 2022), (2012, 2018), (2017, 2018), (2018, 2020)])
def test_counts_reconcile_with_each_years_list(links, years):
    a, b = years
    rows = links(a, b)
    change = changes.change(rows, a, b)
    n_from = len(changes.units(rows[rows["year"] == a], change.by_province))
    n_to = len(changes.units(rows[rows["year"] == b], change.by_province))
    c = change.counts()
    assert c["kept"] + c["dropped"] == n_from and c["kept"] + c["added"] == n_to
    assert min(c.values()) > 0
    # documented only, and every row cites its year(s)
    table = change.table
    assert table.loc[table["status"] != "added", "citation_before"].notna().all()
    assert table.loc[table["status"] != "dropped", "citation_after"].notna().all()
    assert change.matched_moved <= change.naive_moved
    # 2012-2018 lists give streets; from 2020 only provinces: such pairs compare by province
    assert change.by_province == (b >= 2020)


def test_apple_2012_to_2022_sites_are_as_the_lists_say(links, atlas):
    """The 2022 side counted independently in SQL: Apple's 2022 list, by supplier and
    province (the geocoder's admin1), equals kept + added."""
    change = changes.change(links(2012, 2022), 2012, 2022)
    (n_sites_2022,) = atlas.execute(
        "SELECT count(DISTINCT site_id) FROM links WHERE brand_id = 'apple' AND year = 2022"
    ).fetchone()
    c = change.counts()
    assert c["kept"] + c["added"] <= n_sites_2022  # units group a supplier's sites per province
    assert c["kept"] > 100 and c["added"] > 400 and c["dropped"] > 400


def test_spelling_changes_cost_less_churn_with_matching(links):
    change = changes.change(links(2017, 2018), 2017, 2018)
    # printed text alone would count most of the 2017 list as dropped and re-added
    assert change.naive_moved > 2 * change.matched_moved


@pytest.mark.parametrize("case", HAND_CHECKED, ids=lambda c: f"{c[0]}-{c[2][:20]}")
def test_hand_checked_spelling_changes_are_kept(links, case):
    a, b, supplier, before, after = case
    table = changes.change(links(a, b), a, b).table
    row = table[(table["address_before"] == before) & (table["address_after"] == after)]
    assert len(row) == 1, f"{supplier}: not matched across {a}-{b}"
    assert row["status"].item() == "kept"
    assert "spelled differently" in row["match_basis"].item()
    assert row["citation_before"].item().startswith(f"apple_suppliers: Apple Supplier List {a}")
    assert row["citation_after"].item().startswith(f"apple_suppliers: Apple Supplier List {b}")


@pytest.mark.parametrize("case", NOT_THE_SAME, ids=lambda c: c[2][:24])
def test_look_alike_addresses_are_not_merged(links, case):
    a, b, before, after = case
    table = changes.change(links(a, b), a, b).table
    assert before in set(table.loc[table["status"] == "dropped", "address_before"])
    assert after in set(table.loc[table["status"] == "added", "address_after"])
    assert not ((table["address_before"] == before) & (table["address_after"] == after)).any()


def test_summaries_and_risk(links):
    table = changes.change(links(2012, 2022), 2012, 2022).table
    by_country = changes.summary_by(table, "country_name")
    assert list(by_country.columns) == ["country_name", "kept", "added", "dropped"]
    assert by_country[["kept", "added", "dropped"]].to_numpy().sum() == len(table)
    assert by_country["country_name"].iloc[0] == "China"
    risk = changes.risk_of(table).set_index("status")
    assert (
        risk.loc["added", "units"] + risk.loc["kept", "units"]
        == (table["status"] != "dropped").sum()
    )


def test_admin1_reads_the_geocoders_note():
    note = "city: address token 'dongguan' matched GeoNames Dongguan (Guangdong, CN) by name"
    assert changes.admin1(note) == "Guangdong"
    assert changes.admin1(None) is None and changes.admin1("country label point") is None


@pytest.fixture()
def app_db(atlas_db, tmp_path, monkeypatch):
    """A copy of the real atlas for the app (it opens its file with another configuration)."""
    import shutil

    path = shutil.copy(atlas_db, tmp_path / "atlas.duckdb")
    monkeypatch.setenv("RISKATLAS_DB", str(path))
    return path


def test_the_view_shows_counts_map_chart_and_cited_downloads(app_db, atlas_db, links):
    from tests.apptest_support import run_app

    at = run_app("pages/changes.py", {"brand": "apple", "from": "2012", "to": "2022"}, 120)
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    c = changes.change(links(2012, 2022), 2012, 2022).counts()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Added by 2022": f"{c['added']:,}",
        "Dropped since 2012": f"{c['dropped']:,}",
        "Kept": f"{c['kept']:,}",
    }
    assert "supplier and province" in " ".join(i.value for i in at.info)
    spec = at.get("deck_gl_json_chart")[0].proto.json
    assert '"change-added"' in spec and '"change-dropped"' in spec
    # issue 17: the Map's land (countries told apart by shade): no PathLayer, no LineLayer
    layers = {layer["id"]: layer for layer in json.loads(spec)["layers"]}
    assert layers["countries"]["stroked"] is False
    assert not {"PathLayer", "LineLayer"} & {layer["@@type"] for layer in layers.values()}
    (chart,) = at.get("vega_lite_chart")  # the chart of sites per year (issue 17: not plotly)
    assert not at.get("plotly_chart")
    import pyarrow as pa

    bars = pa.ipc.open_stream(chart.proto.data.data).read_pandas()
    assert json.loads(chart.proto.spec)["title"]["text"] == "Sites Apple lists per year, by country"
    con = duckdb.connect(str(atlas_db), read_only=True)  # the same data as app_db's copy
    try:
        direct = con.execute(
            "SELECT year, count(DISTINCT site_id) FROM links WHERE brand_id = 'apple' "
            "AND relation LIKE 'lists_%' AND year IS NOT NULL GROUP BY year ORDER BY year"
        ).fetchall()
    finally:
        con.close()
    per_year = bars.groupby("year")["sites"].sum()
    assert [
        (int(y), int(n)) for y, n in per_year.items()
    ] == direct  # a year without a list: no bar
    # issue 17: the table of changes (the page's main content) is the first table on the page
    first = at.dataframe[0].value
    assert {"status", "citation_before", "citation_after"} <= set(first.columns)
    assert len(first) == sum(c.values())
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f"CSV ({sum(c.values()):,} rows)", "Excel"]
    assert at.query_params["from"] in (["2012"], "2012")


def test_one_year_brands_and_unknown_years_are_explained(app_db):
    from tests.apptest_support import run_app

    at = run_app("pages/changes.py", {"brand": "samsung-electronics"}, 120)
    assert not at.exception
    assert "a change needs two years" in " ".join(i.value for i in at.info)
    at = run_app("pages/changes.py", {"brand": "apple", "from": "2019", "to": "2022"}, 120)
    assert not at.exception
    assert "No Apple list for 2019" in " ".join(w.value for w in at.warning)


def test_brand_read_as_people_type_it(app_db):
    """?brand= is read by riskatlas.names, as on the Map: "Samsung" is Samsung Electronics."""
    from tests.apptest_support import run_app

    at = run_app("pages/changes.py", {"brand": "Samsung"}, 120)
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert "Samsung Electronics" in " ".join(i.value for i in at.info)
    at = run_app("pages/changes.py", {"brand": "Apple Inc."}, 120)
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert at.query_params["brand"] in (["apple"], "apple")
    at = run_app("pages/changes.py", {"brand": "Nokia"}, 120)
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("Unknown brand `Nokia` ignored. The atlas holds lists from: [")
    assert "](?brand=samsung-electronics)" in warning


def test_report_has_a_changes_since_section(atlas):
    """The exposure report of a brand with two list years says what changed since the list
    before (issue 20); a one-year brand's report has no such section."""
    from riskatlas.report import gather, render_html

    data = gather(atlas, "apple", year=2018)
    assert data.change["since"] == 2017 and data.change["to"] == 2018
    c = changes.change(
        sql.run(atlas, "brand_year_links", {"brand": "apple", "year_from": 2017, "year_to": 2018}),
        2017,
        2018,
    ).counts()
    assert data.change["counts"] == c
    html = render_html(atlas, data)
    assert "Changes since 2017" in html and f"<strong>{c['added']}</strong>" in html
    assert gather(atlas, "samsung-electronics").change is None


def test_smelter_lists_compare_by_id_and_mark_what_rmi_removed(atlas):
    """A smelter list is compared site by site (by RMI id); a smelter RMI removed carries the
    date and reason (issue 20), counted independently in SQL."""
    rows = sql.run(
        atlas,
        "brand_year_links",
        {"brand": "rockwell-automation", "year_from": 2025, "year_to": 2025},
    )
    assert not changes.region_only(rows)
    units = changes.units(rows, by_province=False)
    marked = units[units["rmi_removed"].fillna("") != ""]
    (expected,) = atlas.execute(
        "SELECT count(DISTINCT l.site_id) FROM links l JOIN site_facts f USING (site_id) "
        "WHERE l.brand_id = 'rockwell-automation' AND f.fact = 'rmi_removed'"
    ).fetchone()
    assert len(marked) == expected > 0
    assert marked["rmi_removed"].str.startswith("removed by RMI on ").all()
