"""The advocate's journey on the real atlas (issue 17): the Site page finds sites by the places
people know, word by word; the Brands page follows the sidebar and names brands as people do."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from riskatlas import sql
from riskatlas.paths import SHARED_DATA
from riskatlas.places import search_words
from tests.apptest_support import run_app

pytestmark = pytest.mark.slow

IPIS_CSV = SHARED_DATA / "ipis_drc_mine_sites" / "cod_mines_curated_all_opendata_p_ipis.csv"


@pytest.fixture(scope="module")
def real_db(atlas_db, tmp_path_factory):
    return shutil.copy(atlas_db, tmp_path_factory.mktemp("advocate_pages") / "atlas.duckdb")


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


def _search(con, text: str):
    return sql.run(con, "site_search", {"text": text, "words": search_words(text)})


def _raw_pcodes(where: str) -> set[str]:
    c = duckdb.connect()
    try:
        rows = c.execute(
            f"SELECT DISTINCT pcode FROM read_csv(?, all_varchar = true) WHERE {where}",  # noqa: S608 - literals of this file
            [str(IPIS_CSV)],
        ).fetchall()
    finally:
        c.close()
    return {r[0] for r in rows}


def test_rubaya_finds_the_sites_that_sell_there(con):
    """'Rubaya' is the trading place IPIS names for the Rubaya coltan mines (selling_points)."""
    expected = _raw_pcodes(
        "selling_points_mineral1 ILIKE '%rubaya%' OR selling_points_mineral2 ILIKE '%rubaya%' "
        "OR selling_points_mineral3 ILIKE '%rubaya%' OR village ILIKE '%rubaya%' "
        "OR groupement ILIKE '%rubaya%' OR name ILIKE '%rubaya%'"
    )
    assert len(expected) >= 10
    hits = _search(con, "Rubaya")
    assert set(hits["site_id"]) == expected
    assert hits["places"].str.contains("minerals sold at").all()
    assert hits["places"].str.contains("Rubaya").all()
    assert set(_search(con, "RUBAYA")["site_id"]) == expected


def test_kolwezi_artisanal_word_by_word(con):
    hits = _search(con, "kolwezi artisanal")
    assert len(hits) >= 10
    assert set(hits["tier"]) == {"artisanal_mine"}
    in_kolwezi = _raw_pcodes("village ILIKE 'kolwezi' OR name ILIKE 'kolwezi'")
    assert in_kolwezi <= set(hits["site_id"])
    # sites named Kolwezi come first; the other words order does not matter
    assert hits["name"].iloc[0] == "Kolwezi"
    assert set(_search(con, "Artisanal KOLWEZI")["site_id"]) == set(hits["site_id"])


def test_accents_aliases_addresses_and_ids(con):
    # an IPIS collectivité typed without its accent and with one added
    (pcode, coll) = con.execute(
        "SELECT site_id, value FROM site_places WHERE field = 'collectivité' "
        "AND value <> strip_accents(value) ORDER BY site_id LIMIT 1"
    ).fetchone()
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", coll) if not unicodedata.combining(c))
    assert pcode in set(_search(con, plain.lower())["site_id"])
    # an RMI alias that is not the site's name
    (site, alias) = con.execute(
        "SELECT p.site_id, p.value FROM site_places p JOIN sites s USING (site_id) "
        "WHERE p.field = 'alias' AND lower(p.value) NOT LIKE '%' || lower(s.name) || '%' "
        "AND length(p.value) > 12 ORDER BY p.site_id LIMIT 1"
    ).fetchone()
    assert site in set(_search(con, alias)["site_id"])
    # an id is found first
    assert _search(con, "CID002517")["site_id"].iloc[0] == "CID002517"
    assert _search(con, "no such place qqqzzz").empty


def test_site_page_search_box(con):
    at = run_app("pages/site.py", {}, timeout=120)
    _ok(at)
    at.text_input(key="site_search").input("kolwezi artisanal").run()
    _ok(at)
    table = at.dataframe[0].value
    assert len(table) >= 10 and set(table["tier"]) == {"artisanal mine"}
    at.text_input(key="site_search").input("Rubaya").run()
    assert "Koyi" in set(at.dataframe[0].value["name"])
    at.text_input(key="site_search").input("qqqzzz").run()
    assert any("No site matches" in i.value for i in at.info)


def test_brands_page_follows_the_sidebar_brand():
    at = run_app("pages/brands.py", {"brand": "apple"}, timeout=240)
    _ok(at)
    headers = [h.value for h in at.subheader]
    assert "Apple" in headers
    assert not {"Samsung Electronics", "Honda Motor", "Garrett Motion"} & set(headers)
    reports = [
        b.proto.label for b in at.get("download_button") if b.proto.label.startswith("Report")
    ]
    assert reports == ["Report: Apple"]
    everyone = run_app("pages/brands.py", {}, timeout=240)
    _ok(everyone)
    assert {"Apple", "Samsung Electronics"} <= {h.value for h in everyone.subheader}


def test_brands_page_mineral_and_year_narrow_the_tables():
    at = run_app(
        "pages/brands.py",
        {"brand": "samsung-electronics", "mineral": "cobalt", "year": "2024"},
        timeout=240,
    )
    _ok(at)
    # the brand's overview table (the page also lists smelters RMI removed, issue 13)
    tables = [d.value for d in at.dataframe if {"mineral", "years"} <= set(d.value.columns)]
    assert len(tables) == 1
    assert list(tables[0]["mineral"]) == ["cobalt"]
    assert set(tables[0]["years"]) == {"2024"}
