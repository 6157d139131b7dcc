"""The pieces behind issue #16: plain-text lines, evidence for a row, names read again, renames."""

from __future__ import annotations

import pandas as pd
import pytest

from riskatlas.importer.evidence import company_like, rejection
from riskatlas.importer.renames import former_names
from riskatlas.importer.rmi_match import name_variants, resolve_rows, same_country
from riskatlas.importer.rmi_reference import Reference, reference_from_csv
from riskatlas.importer.text_table import TextLine, header_phrases, parse_line, text_rows

ROLES = ["id", "metal", "name", "country"]


@pytest.mark.parametrize(
    "text, phrases",
    [
        ("CID Metal Name Country", ["CID", "Metal", "Name", "Country"]),
        ("Smelter ID Metal Smelter Name Country of Location",
         ["Smelter ID", "Metal", "Smelter Name", "Country of Location"]),
        ("No. Metal Smelter Name Smelter ID Country Status",
         ["No.", "Metal", "Smelter Name", "Smelter ID", "Country", "Status"]),
        ("Smelter name Country", None),  # two columns, no id: too little to be sure
        ("Tin Smelter name", None),
        ("CID001070 Tin China Tin Group", None),
        ("We ask each supplier for the smelter name and country", None),
    ],
)  # fmt: skip
def test_plain_text_header(text, phrases):
    got = header_phrases(text)
    assert (None if got is None else [t for t, _ in got]) == phrases


@pytest.mark.parametrize(
    "line, cells",
    [
        ("CID001070 Tin China Tin Group Co., Ltd. CHINA",
         ["CID001070", "Tin", "China Tin Group Co., Ltd.", "CHINA"]),
        ("CID001305 Tin Novosibirsk Tin Combine RUSSIAN FEDERATION",
         ["CID001305", "Tin", "Novosibirsk Tin Combine", "RUSSIAN FEDERATION"]),
        ("CID001761 Gold Solar Applied Materials Technology Corp. TAIWAN, PROVINCE OF CHINA",
         ["CID001761", "Gold", "Solar Applied Materials Technology Corp.",
          "TAIWAN, PROVINCE OF CHINA"]),
        ("CID000438 Tin EM Vinto BOLIVIA (PLURINATIONAL STATE OF)",
         ["CID000438", "Tin", "EM Vinto", "BOLIVIA (PLURINATIONAL STATE OF)"]),
        ("South-East Nonferrous Metal Company", None),  # no id: not a row
        ("CID000568 Tungsten Global Tungsten & Powders LLC", None),  # no country
    ],
)  # fmt: skip
def test_plain_text_line(line, cells):
    assert parse_line(line, ROLES) == cells


def test_plain_text_status_may_be_blank():
    roles = [*ROLES, "status"]
    assert parse_line("CID001070 Tin China Tin Group Co., Ltd. CHINA Conformant", roles)[4] == (
        "Conformant"
    )
    assert parse_line("CID001070 Tin China Tin Group Co., Ltd. CHINA", roles) == [
        "CID001070", "Tin", "China Tin Group Co., Ltd.", "CHINA", ""
    ]  # fmt: skip


def test_wrapped_names_join_the_row_below_or_above():
    lines = [
        TextLine("Yunnan Chengfeng Non-ferrous", "p1"),
        TextLine("CID002180 Tin Metals Co., Ltd. CHINA", "p1"),
        TextLine("CID000228 Tin Chenzhou Yunxiang Mining and CHINA", "p1"),
        TextLine("Metallurgy Co., Ltd.", "p1"),  # the end of the name above
        TextLine("Page 7", "p1"),
    ]
    rows = [cells for cells, _ in text_rows(lines, ROLES)]
    assert [r[2] for r in rows] == [
        "Yunnan Chengfeng Non-ferrous Metals Co., Ltd.",
        "Chenzhou Yunxiang Mining and Metallurgy Co., Ltd.",
    ]


@pytest.mark.parametrize(
    "name, ok",
    [
        ("China Tin Group Co., Ltd.", True),
        ("KEMET de Mexico", True),
        ("Unecha Refractory metals plant", True),
        ("Asaka Riken Co., Ltd.", True),
        ("江西铜业股份有限公司", True),
        ("presenting", False),
        ("those suppliers", False),
        ("in Ituri Province", False),
        ("In Ituri Province", False),
        ("Some 3TG", False),
        ("The Perth Mint", True),
        ("Fujian Zijin mining stock company gold smelter", True),
        ("Chenzhou Yun Xiang mining limited liability company", True),
        ("Albino Mountinho Lda.", True),
        ("the smelter list", False),
        ("metal smelters in the region", False),
        ("2. Some 3TG", False),
        ("n the", False),
        ("We contacted each supplier again.", False),
    ],
)
def test_company_like(name, ok):
    assert company_like(name) is ok


def test_rejection_needs_evidence():
    base = {
        "id_as_reported": None,
        "metal": None,
        "country_iso3": None,
        "resolved_by": "unresolved",
    }
    assert rejection({**base, "id_as_reported": "CID001070", "smelter_name": "x"}) is None
    assert rejection({**base, "metal": "tin", "smelter_name": "Fenix Metals"}) is None
    assert (
        rejection({**base, "metal": "tin", "smelter_name": "fenix", "country_iso3": "POL"}) is None
    )
    assert rejection({**base, "smelter_name": "Fenix Metals", "country_iso3": "POL"}) is None
    assert "prose or a fragment" in rejection({**base, "smelter_name": "those suppliers"})
    assert "no country" in rejection({**base, "smelter_name": "Minerals"})
    assert "does not read like a company" in rejection(
        {**base, "metal": "gold", "smelter_name": "in Ituri Province"}
    )


def test_country_conventions():
    assert same_country("CHN", "HKG") and same_country("TWN", "CHN") and same_country("MAC", "CHN")
    assert not same_country("CHN", "JPN") and not same_country(None, "CHN")


def test_name_variants():
    got = dict(name_variants("Boliden Mineral AB (Ronnskar)"))
    assert "Boliden Ronnskar" in got and "Boliden Mineral AB" in got
    assert "Aurubis AG" in dict(name_variants("Aurubis AG, Hamburg"))
    assert "The Perth Mint" in dict(name_variants("Gold Corporation - The Perth Mint"))
    assert name_variants("China Tin Group Co., Ltd.") == []  # "Ltd." is no place


@pytest.fixture(scope="module")
def reference(raw_dir):
    t = reference_from_csv(
        raw_dir / "rmi_smelter_reference_list" / "rmi_smelter_facilities_latest.csv"
    )
    return Reference(t, "test", former_names(raw_dir))


def _resolve(reference, name, metal, country):
    rows = pd.DataFrame([{"smelter_name": name, "metal": metal, "country": country,
                          "id_as_reported": None, "metal_from": "row"}])  # fmt: skip
    return resolve_rows(rows, reference).iloc[0]


def test_former_names_come_from_rmi_revision_history(raw_dir, reference):
    former = former_names(raw_dir)
    assert "Liuzhou China Tin" in former["CID001070"]
    row = _resolve(reference, "Liuzhou China Tin", "tin", "CHINA")
    assert (row["resolved_by"], row["smelter_id"]) == ("name", "CID001070")
    assert "revision history" in row["match_basis"]
    # Without the former names the same row does not resolve.
    bare = Reference(reference.table, "test")
    assert _resolve(bare, "QSIL Metals Hermsdorf GmbH", "tantalum", "GERMANY")["resolved_by"] == (
        "unresolved"
    )


def test_a_variant_needs_the_same_country(reference):
    row = _resolve(reference, "Aurubis AG, Hamburg", "gold", "GERMANY")
    assert row["smelter_id"] == "CID000113"
    for country in ("JAPAN", None):
        row = _resolve(reference, "Aurubis AG, Hamburg", "gold", country)
        assert row["resolved_by"] == "unresolved" and pd.isna(row["smelter_id"])
        assert row["candidate_id"] == "CID000113"
