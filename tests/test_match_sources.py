"""Cross-source name matching: names reduced to their distinctive words, scores, merge rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskatlas.facility_names import name_score, name_tokens, name_variants
from riskatlas.match_sources import match_groups


def test_legal_site_and_metal_words_are_dropped():
    assert name_tokens("Minera Escondida Limitada") == ["escondida"]
    assert name_tokens("Sarkuysan Elektrolitik Bakır Sanayi") == [
        "sarkuysan", "elektrolitik", "bakir", "sanayi",
    ]  # fmt: skip
    assert name_variants("Buenavista del Cobre (former Cananea)") == [
        "buenavista cobre former cananea", "buenavista cobre", "former cananea",
    ]  # fmt: skip


def test_scores():
    assert name_score(["kisanfu"], ["kisanfu"]) == 100
    assert name_score(["cmoc kisanfu"], ["kisanfu"]) == 93  # whole name inside
    assert name_score(["berta"], ["bertha"]) < 90  # short one-word names must agree exactly
    assert name_score(["collahuasi"], ["collahausi"]) >= 90  # a typo in a long name


def _rec(rows):
    df = pd.DataFrame(rows)
    for c in ("aliases", "other_names", "confidence"):
        if c not in df:
            df[c] = None
    return df


def _row(source, ref, name, iso3, minerals, lat=None, lon=None, cid=None, tier=None):
    return {
        "source_id": source, "source_ref": ref, "name": name, "country_iso3": iso3,
        "minerals": minerals, "lat": lat, "lon": lon, "rmi_id": cid,
        "geo_precision": "exact" if lat is not None else "country",
        "tier": tier or ("smelter_refiner" if source != "icmm" else "mine"),
    }  # fmt: skip


def test_a_unique_match_merges_and_a_rival_far_away_does_not():
    rec = _rec(
        [
            _row("samsung_rmr_2025", "CID1", "Lomas Bayas", "CHL", ["copper"], cid="CID004119"),
            _row("icmm", "A", "Lomas Bayas", "CHL", ["copper"], -23.4, -69.5),
            _row("samsung_rmr_2025", "CID2", "Tyrone", "USA", ["copper"], cid="CID004367"),
            _row("icmm", "B", "Tyrone", "USA", ["copper"], 32.6, -108.4),
            _row("icmm", "C", "Tyrone", "USA", ["copper"], 40.0, -80.0),
        ]
    )
    merged, borrowed, cands = match_groups(rec, np.arange(len(rec)))
    assert [(g, j) for g, j, _, _ in merged] == [(0, 1)]
    assert borrowed == []
    assert {j for g, j, _, _ in cands if g == 2} == {3, 4}  # two Tyrones 900 km apart


def test_no_shared_mineral_is_a_candidate_only():
    rec = _rec(
        [
            _row("samsung_rmr_2025", "CID1", "Hishikari Mine", "JPN", ["copper"], cid="CID1"),
            _row("icmm", "A", "Hishikari Mine", "JPN", ["gold"], 32.0, 130.7),
        ]
    )
    merged, borrowed, cands = match_groups(rec, np.arange(len(rec)))
    assert merged == [] and borrowed == []
    assert "no shared mineral" in cands[0][3]


def test_one_record_matched_by_two_ids_lends_its_point_without_merging():
    rec = _rec(
        [
            _row("samsung_rmr_2025", "CID1", "Kamoto", "COD", ["copper"], cid="CID000001"),
            _row("samsung_rmr_2025", "CID2", "Kamoto", "COD", ["copper"], cid="CID000002"),
            _row("icmm", "A", "Kamoto", "COD", ["copper"], -10.7, 25.4),
        ]
    )
    merged, borrowed, _ = match_groups(rec, np.arange(len(rec)))
    assert merged == []
    assert sorted(g for g, _, _, _ in borrowed) == [0, 1]
