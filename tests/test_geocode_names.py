"""Place names read from facility names: the towns they name, and the words they must not."""

from __future__ import annotations

import pytest

from riskatlas.geo.geocoder import geocoder
from riskatlas.geo.name_places import place_in_name


@pytest.fixture(scope="module")
def geo(raw_dir):
    return geocoder(str(raw_dir))


def _where(geo, iso3: str, name: str):
    hit = place_in_name(geo, geo.g.ccs(iso3), name)
    return None if hit is None else (hit.precision, geo.g.label(hit.place))


@pytest.mark.parametrize(
    ("iso3", "name", "want"),
    [
        ("CHN", "Gejiu Yunxi Group Corp.", ("city", "Gejiu (Yunnan, CN)")),
        ("CHN", "Xin Furukawa Metal ( Wuxi ) Co., Ltd.", ("city", "Wuxi (Jiangsu Sheng, CN)")),
        ("CHN", "Dongguan City Xida Soldering Tin Products Co.", ("city", "Dongguan (Guangdong, CN)")),
        ("CHN", "Jiangxi Ketai Advanced Material Co., Ltd.", ("province", "Nanchang (Jiangxi Sheng, CN)")),
        ("DEU", "Aurubis AG, Luenen", ("city", "Lünen (North Rhine-Westphalia, DE)")),
        ("FIN", "Outokumpu Tornio Ferrochrome Operations", ("city", "Tornio (Lapland, FI)")),
        ("USA", "Essex Magnet Wire USA LLC, Fort Wayne Plant", ("city", "Fort Wayne (Indiana, US)")),
        # "Buenavista del Cobre" is one name (not the town Buenavista); Cananea is the town
        ("MEX", "Buenavista del Cobre (former Cananea)", ("city", "Cananea (Sonora, MX)")),
    ],
)  # fmt: skip
def test_towns_and_provinces_named_in_the_name(geo, iso3, name, want):
    assert _where(geo, iso3, name) == want


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("USA", "Global Advanced Metals"),  # company words
        ("USA", "Republic Metals Corporation"),  # Republic, Missouri is a town
        ("USA", "Garfield"),  # many Garfields, one-word US name
        ("CHN", "Jinlong Copper Co., Ltd."),  # a village and a company word
        ("CHN", "Ganfeng Lithium Group Co., Ltd."),
        ("CHN", "Hang Seng Technology"),  # 'Hang' is an alternate name of Hangzhou
        ("MEX", "Grupo Essex de Mexico"),  # the country's name, not the State of Mexico
        ("TWN", "Taiwan high-tech Co., Ltd."),
        ("JPN", "Fuji Metal Mining Corp."),
    ],
)
def test_words_that_only_resemble_a_place_place_nothing(geo, iso3, name):
    assert _where(geo, iso3, name) is None


def test_no_country_no_place(geo):
    assert place_in_name(geo, (), "Gejiu Yunxi Group Corp.") is None
    assert place_in_name(geo, geo.g.ccs("CHN"), "") is None
