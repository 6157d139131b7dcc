"""Names as people type them (riskatlas.names): unit cases on a small vocabulary, the same rules on
the real atlas's vocabulary, and the command lines that read names (exit 2 with suggestions, never
a report about nothing)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from riskatlas.atlas_names import atlas_names
from riskatlas.filters import Vocabulary, parse
from riskatlas.names import UnknownName, brand_names, known_brands, mineral_names
from riskatlas.paths import REPO_ROOT
from riskatlas.place_names import country_names
from riskatlas.text import md_text

BRANDS = brand_names(
    {
        "apple": "Apple",
        "samsung-electronics": "Samsung Electronics",
        "samsung-sdi": "Samsung SDI",
        "honda-motor": "Honda Motor",
        "rockwell-automation": "Rockwell Automation",
    }
)
MINERALS = mineral_names(("cobalt", "copper", "gold", "niobium", "tantalum", "tin", "tungsten"))
COUNTRIES = country_names(
    {
        "COD": "DR Congo",
        "COG": "Congo Republic",
        "NGA": "Nigeria",
        "NER": "Niger",
        "FIN": "Finland",
    },
    {"COD": ("CD", "Democratic Republic of the Congo", "Congo - Kinshasa")},
)


def ids(names, text):
    return names.resolve(text).ids


# --- unit cases on a small vocabulary ------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected, basis",
    [
        ("apple", "apple", "id"),
        ("Apple Inc.", "apple", "name"),
        ("APPLE", "apple", "name"),
        ("Honda", "honda-motor", "name"),  # everyday short name: the first word, unshared
        ("Honda Motor Co., Ltd.", "honda-motor", "name"),  # legal forms ignored
        ("samsung electronics", "samsung-electronics", "name"),
        ("SAMSUNG-ELECTRONICS", "samsung-electronics", "name"),
        ("Samsng Electronics", "samsung-electronics", "close spelling"),
        ("Rockwel Automation", "rockwell-automation", "close spelling"),
        ("Honda Motors", "honda-motor", "close spelling"),  # a trailing plural
        ("rockw", "rockwell-automation", "prefix"),
    ],
)
def test_brand_readings(text, expected, basis):
    res = BRANDS.resolve(text)
    assert res.ids == (expected,) and res.basis == basis, res


def test_a_short_name_two_brands_share_is_ambiguous():
    # "Samsung" is no everyday name when the vocabulary holds two Samsung companies
    res = BRANDS.resolve("Samsung")
    assert not res.ok and res.reason == "ambiguous"
    assert set(res.suggestions) == {"samsung-electronics", "samsung-sdi"}
    line = BRANDS.refusal(res)
    assert "could be several: Samsung Electronics, Samsung SDI; give one of them" in line


def test_a_known_name_with_more_after_it_is_not_a_close_spelling():
    only_electronics = brand_names({"samsung-electronics": "Samsung Electronics"})
    assert ids(only_electronics, "Samsung") == ("samsung-electronics",)
    res = only_electronics.resolve("Samsung Heavy Industries")
    assert not res.ok and res.suggestions == ("samsung-electronics",)
    assert not ids(BRANDS, "Apple Hospitality")


def test_unknown_brand_with_nothing_close_lists_the_known_brands():
    res = BRANDS.resolve("Nokia")
    assert not res.ok and res.reason == "unknown" and res.suggestions == ()
    line = BRANDS.refusal(res, list_all=True)
    assert line.startswith("unknown brand 'Nokia'; the brands the atlas knows: Apple, ")
    assert "Rockwell Automation" in line


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cobalt", ("cobalt",)),
        ("Cobalt", ("cobalt",)),
        ("Co", ("cobalt",)),
        ("Cu", ("copper",)),
        ("cuivre", ("copper",)),
        ("or", ("gold",)),
        ("Cassitérite", ("tin",)),
        ("hétérogénite", ("cobalt",)),
        ("coltan", ("tantalum", "niobium")),
        ("3TG", ("tin", "tantalum", "tungsten", "gold")),
        ("Cobalt (Co)", ("cobalt",)),
        ("tungstn", ("tungsten",)),
        ("tungs", ("tungsten",)),
    ],
)
def test_mineral_readings(text, expected):
    assert ids(MINERALS, text) == expected


def test_cobalto_is_refused_with_cobalt_suggested():
    res = MINERALS.resolve("cobalto")
    assert not res.ok and res.suggestions[0] == "cobalt"
    assert MINERALS.refusal(res) == "unknown mineral 'cobalto'; did you mean: cobalt"


def test_short_names_need_exact_spelling():
    # one letter turns tin into another word: no close spelling under five letters
    assert not ids(MINERALS, "tinn") and not ids(MINERALS, "gild")
    assert "gold" in MINERALS.resolve("gild").suggestions


def test_a_real_mineral_the_atlas_lacks_is_said_so():
    res = MINERALS.resolve("lithium")
    assert not res.ok and res.reason == "absent"
    assert "holds no data for the mineral lithium" in MINERALS.refusal(res)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("COD", "COD"),
        ("cod", "COD"),
        ("CD", "COD"),
        ("DRC", "COD"),
        ("DR Congo", "COD"),
        ("Congo-Kinshasa", "COD"),
        ("Democratic Republic of Congo", "COD"),
        ("Congo Brazzaville", "COG"),
        ("nigeria", "NGA"),
        ("Nigera", "NGA"),  # a typo of Nigeria; "Niger" + "a" is not a spelling of Niger
        ("Niger", "NER"),
        ("Finlande", "FIN"),
    ],
)
def test_country_readings(text, expected):
    assert ids(COUNTRIES, text) == (expected,)


def test_a_place_name_is_answered_with_the_countries_of_its_sites():
    places = {"kolwezi": ["COD"], "jiangsu": ["CHN", "FIN"]}
    names = country_names({"COD": "DR Congo", "FIN": "Finland"}, places=lambda t: places.get(t, []))
    res = names.resolve("Kolwezi")
    assert not res.ok and res.reason == "place" and res.suggestions == ("COD",)
    assert (
        names.refusal(res)
        == "'Kolwezi' is not a country; the sites named so are in: DR Congo (COD)"
    )
    assert names.resolve("Jiangsu").suggestions == ("FIN",)  # only countries of the vocabulary
    assert names.resolve("Atlantis").reason == "unknown"


def test_unknown_and_ambiguous_refusals_never_raise():
    for names in (BRANDS, MINERALS, COUNTRIES):
        for text in ("", "   ", "x" * 5000, "`<b>`", "[a](b)", "\x00", "Ünïcödé"):
            res = names.resolve(text)
            assert not res.ok
            assert isinstance(names.refusal(res), str)


def test_url_filters_use_the_same_resolver():
    vocab = Vocabulary(
        brands={"samsung-electronics": "Samsung Electronics", "apple": "Apple"},
        minerals=("cobalt", "tin"),
        countries={"COD": "DR Congo"},
        years=(2024,),
    )
    state = parse({"brand": "Samsung", "mineral": "cobalto", "country": "DRC"}, vocab)
    assert state.brands == ("samsung-electronics",) and state.countries == ("COD",)
    assert state.minerals == ()
    (notice,) = state.notices
    assert notice == (
        "Unknown mineral `cobalto` ignored. Did you mean: "
        "[cobalt](?brand=samsung-electronics&mineral=cobalt&country=COD)?"
    )
    state = parse({"brand": "Samsng"}, vocab)
    assert state.brands == ("samsung-electronics",)
    assert state.notices == ("Brand `Samsng` read as Samsung Electronics.",)


def test_ambiguous_url_value_offers_each_reading_as_a_link():
    vocab = Vocabulary(
        brands={},
        minerals=(),
        countries={"ZAF": "South Africa", "SSD": "South Sudan", "FIN": "Finland"},
        years=(),
    )
    state = parse({"country": "south", "tier": "mine"}, vocab)
    assert state.countries == ()
    assert state.notices == (
        "Country `south` could be several countries; ignored. Pick one: "
        "[South Africa](?tier=mine&country=ZAF), [South Sudan](?tier=mine&country=SSD).",
    )


def test_suggestion_labels_from_data_are_escaped():
    vocab = Vocabulary(
        brands={"evil": "Evil [x](http://evil) `<b>`"}, minerals=(), countries={}, years=()
    )
    (notice,) = parse({"brand": "nokia"}, vocab).notices
    assert notice.endswith(f"[{md_text(vocab.brands['evil'])}](?brand=evil).")
    assert "[x](http" not in notice and "](http" not in notice


# --- the real atlas's vocabulary -----------------------------------------------------------


@pytest.fixture(scope="module")
def real(atlas):
    return atlas_names(atlas)


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("brand", "Samsung", ("samsung-electronics",)),
        ("brand", "samsung", ("samsung-electronics",)),
        ("brand", "Apple Inc.", ("apple",)),
        ("brand", "Honda", ("honda-motor",)),
        ("brand", "Skyworks Solutions, Inc.", ("skyworks-solutions",)),
        ("brand", "garrett", ("garrett-motion",)),
        ("mineral", "coltan", ("tantalum", "niobium")),
        ("mineral", "3TG", ("tin", "tantalum", "tungsten", "gold")),
        ("mineral", "Co", ("cobalt",)),
        ("mineral", "rare earths", ("rare_earths",)),
        ("country", "DRC", ("COD",)),
        ("country", "DR Congo", ("COD",)),
        ("country", "Congo-Kinshasa", ("COD",)),
        ("country", "CD", ("COD",)),
        ("country", "Côte d'Ivoire", ("CIV",)),
        ("country", "Ivory Coast", ("CIV",)),
        ("country", "South Korea", ("KOR",)),
    ],
)
def test_real_vocabulary_readings(real, kind, text, expected):
    assert real.require(kind, text) == expected


def test_real_vocabulary_refusals(real):
    with pytest.raises(UnknownName) as exc:
        real.require("brand", "Nokia")
    assert "Samsung Electronics" in str(exc.value) and "Apple" in str(exc.value)
    with pytest.raises(UnknownName, match="did you mean: cobalt"):
        real.require("mineral", "cobalto")
    with pytest.raises(UnknownName, match="South Africa .*South Sudan"):
        real.require("country", "South")
    with pytest.raises(UnknownName, match="did you mean: Samsung Electronics"):
        real.require("brand", "Samsung SDI")
    with pytest.raises(UnknownName, match="not a country; the sites named so are in: DR Congo"):
        real.require("country", "Kolwezi")


def test_every_real_id_and_name_reads_back_to_itself(real):
    """No two names of the atlas collide: each id and display name leads to exactly its id."""
    for names in (real.brands, real.minerals, real.countries):
        for i, label in names.labels.items():
            assert names.resolve(i).ids == (i,), i
            assert names.resolve(label).ids == (i,), label


def test_known_brands_without_a_database(tmp_path):
    names = known_brands(tmp_path / "missing.duckdb")
    assert names.resolve("Samsung").ids == ("samsung-electronics",)


# --- command lines -------------------------------------------------------------------------


def _run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "riskatlas", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=timeout,
    )


def test_report_reads_samsung_as_samsung_electronics(atlas_db, tmp_path):
    out = tmp_path / "samsung.html"
    r = _run("report", "--brand", "Samsung", "--mineral", "cobalt", "--db", str(atlas_db),
             "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout and "Samsung Electronics" in r.stdout
    html = out.read_text(encoding="utf-8")
    assert "Supply-chain exposure: Samsung Electronics" in html
    assert "brand=samsung-electronics" in html and "no list published by" not in html


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--brand", "Nokia"], "the brands the atlas knows: Apple, Garrett Motion, Honda Motor"),
        (["--brand", "samsung", "--mineral", "cobalto"], "did you mean: cobalt"),
        (["--brand", "Samsung SDI"], "did you mean: Samsung Electronics"),
        (["--brand", "apple", "--mineral", "cobalt", "kryptonite"], "unknown mineral"),
    ],
)
def test_report_refuses_unknown_names_with_exit_2(atlas_db, tmp_path, args, expected):
    out = tmp_path / "r.html"
    r = _run("report", *args, "--db", str(atlas_db), "--out", str(out), timeout=120)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("report: ") and expected in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()


def test_import_report_reads_known_brands_and_refuses_near_misses(atlas_db, fixtures_dir):
    small = str(fixtures_dir / "import_small.csv")
    r = _run("import-report", small, "--brand", "Samsung", "--db", str(atlas_db))
    assert r.returncode == 0, r.stderr
    assert "smelter rows for Samsung Electronics" in r.stdout
    r = _run("import-report", small, "--brand", "Samsung SDI", "--db", str(atlas_db))
    assert r.returncode == 2 and "Samsung Electronics" in r.stderr and "--new-brand" in r.stderr
    r = _run("import-report", small, "--brand", "Samsung SDI", "--new-brand", "--db", str(atlas_db))
    assert r.returncode == 0 and "smelter rows for Samsung SDI" in r.stdout
    r = _run("import-report", small, "--brand", "Nokia", "--db", str(atlas_db))
    assert r.returncode == 0 and "smelter rows for Nokia" in r.stdout  # a brand new to the atlas
