"""Sentences built from data: titles for any number of minerals, brand lists and their missing
years, and why a brand view is empty (issue 15.6), on hand-made rows and on the real atlas."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from riskatlas import sql
from riskatlas.wording import (
    brand_lists_text,
    join_names,
    map_title,
    missing_years,
    why_empty,
    year_ranges,
)


def test_join_names_and_titles_are_grammatical():
    assert join_names([]) == "" and join_names(["a"]) == "a"
    assert join_names(["a", "b"]) == "a and b" and join_names("abc") == "a, b and c"
    assert map_title(["gold"], []) == "Where gold is mined, refined and used"
    assert map_title(["tin", "tantalum", "tungsten", "gold"], []) == (
        "Where 3TG (tin, tantalum, tungsten and gold) are mined, refined and used"
    )
    assert map_title(["cobalt", "copper"], []) == (
        "Where cobalt and copper are mined, refined and used"
    )
    assert map_title(["cobalt"], ["Samsung Electronics"]) == (
        "Where could the cobalt in Samsung Electronics’ products come from?"
    )
    assert map_title([], ["Apple", "Honda Motor"]) == (
        "Where are the suppliers and smelters Apple and Honda Motor lists?"
    )
    assert map_title([], []) == "Electronics supply-chain risk atlas"


def test_year_ranges_and_gaps():
    years = [2012, 2013, 2014, 2015, 2016, 2017, 2018, 2020, 2021, 2022]
    assert year_ranges(years) == "2012–2018 and 2020–2022"
    assert missing_years(years) == [2019]
    assert year_ranges([2024]) == "2024" and missing_years([2024]) == []


@pytest.fixture(scope="module")
def coverage(atlas_db) -> pd.DataFrame:
    con = duckdb.connect(str(atlas_db), read_only=True)
    try:
        return sql.run(con, "brand_coverage", {"brands": []})
    finally:
        con.close()


def test_apple_lists_say_2019_is_missing(coverage):
    text = brand_lists_text(coverage, "apple")
    assert text.startswith("The atlas holds Apple’s supplier list (factories")
    assert "2012–2018 and 2020–2022 (no list for 2019 in the source)" in text
    assert "[apple_suppliers]" in text


def test_apple_cobalt_is_empty_because_apple_lists_no_smelters(coverage):
    text = why_empty(coverage, ["apple"], ["cobalt"], None, False)
    assert "no Apple list names smelters or minerals" in text and "cobalt" in text


def test_samsung_wrong_year_and_wrong_mineral(coverage):
    text = why_empty(coverage, ["samsung-electronics"], [], 2019, False)
    assert "no Samsung Electronics list for 2019" in text.replace("There is no", "no")
    assert "pick one of 2024" in text
    text = why_empty(coverage, ["honda-motor"], ["cobalt"], None, False)
    assert "its smelter list names gold, tantalum, tin and tungsten, not cobalt" in text
