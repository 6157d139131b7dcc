"""Filter state <-> URL parameters: case-insensitive matching, notices for unknown values."""

from __future__ import annotations

from riskatlas.brands import slug
from riskatlas.filters import FilterState, Vocabulary, parse, query_string, to_params

VOCAB = Vocabulary(
    brands={"samsung-electronics": "Samsung Electronics", "apple": "Apple"},
    minerals=("cobalt", "copper", "niobium", "tantalum", "tin"),
    countries={"COD": "Democratic Republic of the Congo", "CHN": "China", "FIN": "Finland"},
    years=(2019, 2020, 2024),
)


def test_brand_by_id_or_name_any_case():
    for value in (
        "samsung-electronics",
        "SAMSUNG-ELECTRONICS",
        "Samsung Electronics",
        "samsung electronics",
    ):
        state = parse({"brand": value}, VOCAB)
        assert state.brands == ("samsung-electronics",), value
        assert state.notices == ()


def test_multi_values_are_comma_separated_and_deduplicated():
    state = parse({"brand": "apple, Samsung Electronics,apple", "mineral": "Cobalt,tin"}, VOCAB)
    assert state.brands == ("apple", "samsung-electronics")
    assert state.minerals == ("cobalt", "tin")


def test_mineral_aliases_and_symbols():
    assert parse({"mineral": "Co"}, VOCAB).minerals == ("cobalt",)
    assert parse({"mineral": "coltan"}, VOCAB).minerals == ("tantalum", "niobium")
    assert parse({"mineral": "cassitérite"}, VOCAB).minerals == ("tin",)


def test_country_by_code_name_or_alias():
    assert parse({"country": "cod"}, VOCAB).countries == ("COD",)
    assert parse({"country": "china"}, VOCAB).countries == ("CHN",)
    assert parse({"country": "DRC"}, VOCAB).countries == ("COD",)


def test_tier_ids_labels_and_plurals():
    state = parse({"tier": "smelter_refiner,Artisanal mines,mines,smelters"}, VOCAB)
    assert state.tiers == ("smelter_refiner", "artisanal_mine", "mine")
    assert state.notices == ()


def test_unknown_values_become_notices_not_errors():
    state = parse(
        {
            "brand": "nokia,apple",
            "mineral": "kryptonite",
            "tier": "volcano",
            "country": "XX",
            "min_risk": "high",
            "year": "1999",
            "dimension": "vibes",
        },
        VOCAB,
    )
    assert state.brands == ("apple",)
    assert state.minerals == state.tiers == state.countries == ()
    assert state.min_risk is None and state.year is None and state.dimension == "labour"
    text = " ".join(state.notices)
    for bad in ("nokia", "kryptonite", "volcano", "XX", "high", "1999", "vibes"):
        assert f"`{bad}`" in text
    assert len(state.notices) == 7


def test_notice_cannot_carry_markdown_or_html():
    state = parse({"brand": "`<img src=x onerror=alert(1)>`[x](http://evil)"}, VOCAB)
    (notice,) = state.notices
    # the value is one inline code span: no backtick from the URL can close it
    assert notice.count("`") == 2


def test_min_risk_range_and_year():
    assert parse({"min_risk": "55"}, VOCAB).min_risk == 55.0
    assert parse({"min_risk": "150"}, VOCAB).min_risk is None
    assert parse({"year": "2024"}, VOCAB).year == 2024


def test_round_trip_through_the_url():
    state = FilterState(
        brands=("samsung-electronics",),
        minerals=("cobalt",),
        tiers=("artisanal_mine",),
        countries=("COD",),
        min_risk=40.0,
        year=2024,
        dimension="environment",
    )
    params = to_params(state)
    assert params == {
        "brand": "samsung-electronics",
        "mineral": "cobalt",
        "tier": "artisanal_mine",
        "country": "COD",
        "min_risk": "40",
        "year": "2024",
        "dimension": "environment",
    }
    assert parse(params, VOCAB) == state
    assert query_string(state).startswith("?brand=samsung-electronics&mineral=cobalt")


def test_streamlit_list_values_are_accepted():
    # st.query_params.to_dict() gives the last value; a raw mapping may repeat a key
    assert parse({"mineral": ["cobalt", "tin"]}, VOCAB).minerals == ("cobalt", "tin")


def test_slug_matches_brand_id_convention():
    assert slug("Samsung Electronics") == "samsung-electronics"
    assert slug("  Apple Inc. ") == "apple-inc"
