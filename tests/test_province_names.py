"""The Map's province and country filters read the words people type (issue 17): provinces by
name, word or close spelling, in any case and accents, through riskatlas.names; a town or trading
place the Site page's search knows is refused with the provinces (or countries) of its sites;
a country typed as a province's name links to the province. Unit cases on a small vocabulary,
then the same URLs on the real atlas."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from riskatlas import sql
from riskatlas.filters import Vocabulary, parse
from riskatlas.place_names import country_aliases, province_key, province_names
from riskatlas.places import search_words

PROVINCES = {
    province_key(n): n
    for n in (
        "Haut-Katanga", "Haut-Lomami", "Haut-Uele", "Lualaba", "Nord-Kivu", "Sud-Kivu",
        "Jiangsu Sheng", "Batangas", "Atlántico", "Île-de-France",
    )
}  # fmt: skip
TOWNS = {"kolwezi": ["lualaba"], "rubaya": ["nord kivu"]}


def _vocab(**extra) -> Vocabulary:
    return Vocabulary(
        brands={},
        minerals=("cobalt",),
        countries={"COD": "DR Congo", "CHN": "China", "FRA": "France"},
        years=(),
        provinces=PROVINCES,
        place_provinces=lambda text: TOWNS.get(text, []),
        **extra,
    )


@pytest.mark.parametrize(
    ("typed", "want"),
    [
        ("Haut-Katanga", ("Haut-Katanga",)),
        ("HAUT KATANGA", ("Haut-Katanga",)),
        ("haut katânga", ("Haut-Katanga",)),
        ("lualaba", ("Lualaba",)),
        ("Province du Lualaba", ("Lualaba",)),
        ("Jiangsu", ("Jiangsu Sheng",)),
        ("jiangsu province", ("Jiangsu Sheng",)),
        ("ile de france", ("Île-de-France",)),
        ("kivu", ("Nord-Kivu", "Sud-Kivu")),
        ("katanga", ("Haut-Katanga",)),  # a word of the name, never the close "Batangas"
        ("haut", ("Haut-Katanga", "Haut-Lomami", "Haut-Uele")),
        ("Sud-Kivu,Nord Kivu", ("Sud-Kivu", "Nord-Kivu")),
    ],
)
def test_province_as_people_type_it(typed, want):
    state = parse({"province": typed}, _vocab())
    assert state.provinces == want
    assert state.notices == ()


def test_a_close_spelling_is_read_and_said():
    state = parse({"province": "Lualabba"}, _vocab())
    assert state.provinces == ("Lualaba",)
    assert state.notices == ("Province `Lualabba` read as Lualaba.",)


def test_two_typos_are_refused_with_suggestions():
    state = parse({"province": "Atlantis"}, _vocab())
    assert state.provinces == ()
    (notice,) = state.notices
    assert notice.startswith("Unknown province `Atlantis` ignored. Did you mean: [Atlántico](")
    assert "province=Atl%C3%A1ntico" in notice


def test_a_town_is_refused_with_its_sites_province():
    state = parse({"province": "Kolwezi", "tier": "artisanal_mine"}, _vocab())
    assert state.provinces == ()
    assert state.notices == (
        "`Kolwezi` is not a province; ignored. The sites named so are in: "
        "[Lualaba](?tier=artisanal_mine&province=Lualaba).",
    )


def test_a_country_that_is_a_province_links_to_it():
    state = parse({"country": "Lualaba"}, _vocab())
    assert state.countries == ()
    assert "`Lualaba` is a province: [Lualaba](?province=Lualaba)." in state.notices


@pytest.mark.parametrize(
    "typed", ["DRC", "RDC", "drc", "Congo-Kinshasa", "république démocratique du Congo", "cd"]
)
def test_country_as_people_type_it(typed):
    state = parse({"country": typed}, _vocab())
    assert state.countries == ("COD",), state.notices


def test_province_names_alone():
    names = province_names(PROVINCES)
    assert names.resolve("nord-kivu").ids == ("nord kivu",)
    assert not names.resolve("Zzzz").ok
    assert names.resolve("Kolwezi").reason == "unknown"  # no places reader: plain unknown


# ---- the real atlas --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con(atlas_db, tmp_path_factory):
    db = shutil.copy(atlas_db, tmp_path_factory.mktemp("provinces") / "atlas.duckdb")
    c = duckdb.connect(str(db), read_only=True, config={"enable_external_access": False})
    yield c
    c.close()


def _real_vocab(con) -> Vocabulary:
    prov = sql.run(con, "vocab_provinces")
    countries = sql.run(con, "vocab_countries")
    return Vocabulary(
        brands=dict(sql.run(con, "vocab_brands")[["brand_id", "name"]].values),
        minerals=tuple(sql.run(con, "vocab_minerals")["mineral"]),
        countries=dict(zip(countries["country_iso3"], countries["name"], strict=True)),
        years=tuple(int(y) for y in sql.run(con, "vocab_years")["year"]),
        provinces=dict(zip(prov["province_key"], prov["name"], strict=True)),
        country_aliases=country_aliases(countries),
        places=lambda t: sql.run(con, "place_countries", {"text": t})["country_iso3"],
        place_provinces=lambda t: sql.run(con, "place_provinces", {"words": search_words(t)})[
            "province_key"
        ],
    )


@pytest.mark.slow
def test_real_urls_read_as_people_type_them(con):
    vocab = _real_vocab(con)
    for typed in ("DRC", "RDC", "congo kinshasa", "Congo (Kinshasa)"):
        assert parse({"country": typed}, vocab).countries == ("COD",), typed
    for typed in ("lualaba", "LUALABA", "Province du Lualaba"):
        assert parse({"province": typed}, vocab).provinces == ("Lualaba",), typed
    for typed in ("Haut-Katanga", "haut katanga", "HAUT-KATANGA", "Haut-Katânga"):
        assert parse({"province": typed}, vocab).provinces == ("Haut-Katanga",), typed
    # the Site page finds Rubaya through IPIS's trading places; the province filter names
    # the province of those sites, from the same words
    (notice,) = parse({"province": "Rubaya"}, vocab).notices
    assert notice.startswith("`Rubaya` is not a province; ignored. The sites named so are in:")
    (expected,) = con.execute(
        "SELECT p.province FROM site_search k JOIN site_provinces p USING (site_id) "
        "WHERE contains(' ' || k.text_key || ' ', ' rubaya ') "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    assert f"?province={expected}" in notice.replace("\\", "")
    (notice,) = parse({"country": "Rubaya"}, vocab).notices
    assert "[DR Congo](?country=COD)" in notice


@pytest.mark.slow
def test_real_province_filter_on_the_map(con, atlas_db, monkeypatch, tmp_path):
    from tests.apptest_support import run_app

    monkeypatch.setenv("RISKATLAS_DB", str(shutil.copy(atlas_db, tmp_path / "a.duckdb")))
    at = run_app(params={"country": "drc", "province": "LUALABA", "tier": "artisanal_mine"})
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) and set(table["province"]) == {"Lualaba"}
    assert at.query_params["province"] in ("Lualaba", ["Lualaba"])
