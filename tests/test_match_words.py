"""The distinctive-word rule (riskatlas.match_words) on small record frames.

The frames hold names as the brands' lists and ICMM print them (Samsung 2024: "Kaz Minerals
Balkash", "Khatoon Abad", "Aurubis Huettenwerke Kayser"; ICMM 2025: "Balkhash Complex",
"Khatoonabad smelter"), with made-up points: the rule is tested, not the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskatlas.match_words import distinctive_words, word_matches


def _frame(rows):
    cols = [
        "name", "tier", "source_id", "source_ref", "country_iso3", "lat", "lon",
        "geo_precision", "minerals",
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    df["confidence"] = None
    df["other_names"] = None
    df["aliases"] = None
    return df


def _listed(name, cc="KAZ", minerals=("copper",), ref="CID000001"):
    return (name, "smelter_refiner", "samsung_rmr_2025", ref, cc, None, None, "country",
            list(minerals))  # fmt: skip


def _icmm(name, lat, lon, cc="KAZ", minerals=("copper",), tier="smelter_refiner", ref="ICMM1"):
    return (name, tier, "icmm", ref, cc, lat, lon, "exact", list(minerals))


def _run(rows):
    rec = _frame(rows)
    return word_matches(rec, np.arange(len(rec)), set())


def test_distinctive_words_drop_company_site_and_country_words():
    assert distinctive_words("Kaz Minerals Balkash") == ["balkash"]
    assert distinctive_words("SOCIETE MINIERE DE DEZIWA SAS") == ["deziwa"]
    assert "khatoonabad" in distinctive_words("Khatoon Abad")
    assert distinctive_words("Outokumpu Stainless USA, LLC") == []
    assert distinctive_words(None) == []


def test_one_spelling_apart_and_one_place_is_placed():
    borrowed, cands = _run(
        [
            _listed("Kaz Minerals Balkash"),
            _icmm("Balkhash Complex", 46.93, 74.67, ref="ICMM06914"),
            _icmm("Balkhash Smelter", 46.83, 74.95, ref="ICMM07972"),  # 23 km away
        ]
    )
    assert [(g, j) for g, j, *_ in borrowed] == [(0, 1)]
    g, j, score, basis, precision = borrowed[0]
    assert precision == "exact" and "'balkash'" in basis and "shared mineral copper" in basis
    assert cands == []


def test_words_written_together_meet():
    borrowed, _ = _run(
        [_listed("Khatoon Abad", "IRN"), _icmm("Khatoonabad smelter", 29.96, 55.9, "IRN")]
    )
    assert len(borrowed) == 1


def test_a_mine_record_places_at_city_precision():
    borrowed, _ = _run(
        [
            _listed("SOCIETE MINIERE DE DEZIWA SAS", "COD"),
            _icmm("CNMC Deziwa", -10.79, 25.76, "COD", tier="mine"),
        ]
    )
    assert borrowed[0][4] == "city"
    assert "mine or deposit" in borrowed[0][3]


def test_records_of_the_word_far_apart_are_only_candidates():
    borrowed, cands = _run(
        [
            _listed("Lisbon Valley Copper", "USA"),
            _icmm("Lisbon Valley", 38.12, -109.13, "USA", ref="A"),
            _icmm("Lisbon Valley", 39.15, -109.10, "USA", ref="B"),  # 115 km north
        ]
    )
    assert borrowed == []
    assert sorted(j for _, j, *_ in cands) == [1, 2]
    assert all("more than 30 km apart" in c[3] for c in cands)


def test_a_word_left_over_after_the_match_names_another_place():
    borrowed, _ = _run(
        [
            _listed("Deziwa & Ecaille C", "COD"),
            _icmm("CNMC Deziwa", -10.79, 25.76, "COD", tier="mine"),
        ]
    )
    assert borrowed == []


def test_no_shared_mineral_with_a_mine_is_not_placed():
    borrowed, cands = _run(
        [
            _listed("Pilbara Minerals (Pilgangoora)", "AUS", ("lithium",)),
            _icmm("Pilgangoora Hub", -23.1, 119.0, "AUS", ("iron",), tier="mine"),
        ]
    )
    assert borrowed == []
    assert "no shared mineral" in cands[0][3]


def test_other_country_records_are_not_read():
    borrowed, cands = _run([_listed("Kaz Minerals Balkash"), _icmm("Balkhash", 1, 1, "CHN")])
    assert borrowed == [] and cands == []


def test_sites_already_placed_below_country_are_left_alone():
    rows = [_listed("Kaz Minerals Balkash"), _icmm("Balkhash Complex", 46.93, 74.67)]
    rows[0] = rows[0][:7] + ("city",) + rows[0][8:]
    borrowed, _ = _run(rows)
    assert borrowed == []


def test_a_short_misspelt_word_is_read_only_on_a_smelter_record():
    mine = [_listed("Kazzin"), _icmm("Kazzinc", 50.26, 83.36, tier="mine")]
    assert _run(mine)[0] == []
    smelter = [_listed("Kazzin"), _icmm("Kazzinc", 49.95, 82.6)]
    assert len(_run(smelter)[0]) == 1


def test_a_region_word_is_no_site():
    rows = [
        _listed("PT Bumi Mineral Sulawesi", "IDN", ("nickel",)),
        _icmm("La Sampala (Sulawesi)", -2.7, 121.9, "IDN", ("nickel",), tier="mine"),
    ]
    assert _run(rows)[0] == []


def test_a_record_far_from_the_town_the_name_names_is_not_taken():
    # New Haven (Connecticut) is a town of 130,000; a record 800 km away sharing 'haven' is
    # another place
    rows = [
        _listed("New Haven Refinery", "USA"),
        _icmm("Haven Mine", 36.9, -81.9, "USA", tier="mine"),
    ]
    assert _run(rows)[0] == []


def test_the_very_same_name_places_without_a_shared_mineral():
    rows = [
        _listed("Hishikari Mine", "JPN", ("copper",)),
        _icmm("Hishikari Mine", 32.0, 130.7, "JPN", ("gold",), tier="mine"),
    ]
    borrowed, _ = _run(rows)
    assert len(borrowed) == 1 and borrowed[0][4] == "city"
    assert "very same name" in borrowed[0][3]
