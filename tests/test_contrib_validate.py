"""Contributed uploads and form input: every problem by row and field, any encoding, text kept as text."""

from __future__ import annotations

import codecs
import datetime as dt
import json

import pytest

from riskatlas.contrib.intake import check_file
from riskatlas.contrib.readers import MAX_ROWS, read_upload, template_csv
from riskatlas.contrib.validate import validate_form


@pytest.fixture(scope="module")
def geocoder(raw_dir):
    """The real offline gazetteer (riskatlas.geo.geocoder), as the app and the CLI use it."""
    from riskatlas.geo.geocoder import geocoder as shared

    return shared(str(raw_dir))


GOOD_FORM = {
    "site_name": "Kasulo",
    "tier": "artisanal_mine",
    "description": "Children under 15 seen sorting ore.",
    "event_date": "2023-05-17",
    "evidence_url": "https://example.org/kasulo",
    "contributor": "Fieldwork Union",
    "country": "Democratic Republic of the Congo",
    "lat": "-10.7146",
    "lon": "25.4837",
}


def _problems(result) -> set[tuple[int, str]]:
    return {(e.row, e.field) for e in result.errors}


def test_bad_csv_reports_each_row_and_field(fixtures_dir, geocoder):
    contribs, res = check_file(
        (fixtures_dir / "contrib_bad.csv").read_bytes(), "contrib_bad.csv", geocoder=geocoder
    )
    # spreadsheet row numbers: the header is row 1, the good row is row 2
    assert _problems(res) == {
        (3, "event_date"),
        (4, "evidence_url"),
        (5, "lat"),
        (6, "lat"),
        (7, "site_name"),
        (8, "tier"),
        (9, "minerals"),
    }
    by_row = {e.row: e for e in res.errors}
    assert "YYYY-MM-DD" in by_row[3].message and by_row[3].value == "17/05/2023"
    assert "http" in by_row[4].message
    assert "-90 and 90" in by_row[5].message
    assert "finite" in by_row[6].message
    assert "mine, artisanal_mine" in by_row[8].message
    assert str(by_row[8]).startswith("row 8, tier:")
    assert [c.row for c in contribs] == [2]  # only the good row validated


def test_missing_column_is_reported_once_at_the_header(fixtures_dir, geocoder):
    _, res = check_file(
        (fixtures_dir / "contrib_missing_column.csv").read_bytes(), "x.csv", geocoder=geocoder
    )
    assert [(e.row, e.field, e.message) for e in res.errors] == [
        (1, "evidence_url", "required column missing")
    ]


def test_bad_geojson_reports_each_feature(fixtures_dir, geocoder):
    contribs, res = check_file(
        (fixtures_dir / "contrib_bad.geojson").read_bytes(), "bad.geojson", geocoder=geocoder
    )
    assert _problems(res) == {
        (2, "lat"),
        (3, "geometry"),
        (4, "tier"),
        (5, "geometry"),
        (6, "event_date"),
        (7, "geometry"),
        (7, "site_name"),
        (7, "evidence_url"),
    }
    assert all(e.unit == "feature" for e in res.errors)
    assert str(res.errors[0]).startswith("feature 2, lat:")
    assert [c.row for c in contribs if c.site_name == "Good feature"] == [1]


def test_good_csv_values_are_clean(fixtures_dir, geocoder):
    contribs, res = check_file(
        (fixtures_dir / "contrib_good.csv").read_bytes(), "good.csv", geocoder=geocoder
    )
    assert res.errors == [] and res.encoding == "utf-8-sig" and len(contribs) == 3
    kasulo, agbo, civ = contribs
    assert (kasulo.tier, kasulo.country_iso3, kasulo.minerals) == (
        "artisanal_mine",
        "COD",
        ["cobalt", "copper"],
    )
    assert kasulo.description == 'Children under 15 seen sorting ore; "no protective equipment".'
    assert kasulo.event_date == dt.date(2023, 5, 17)
    assert (kasulo.geo_precision, kasulo.location_source) == ("exact", "contributor")
    assert "contributor" in kasulo.geo_note
    # no point given: placed by the gazetteer at town precision (Accra)
    assert agbo.location_source == "gazetteer" and agbo.geo_precision == "city"
    assert abs(agbo.lat - 5.56) < 0.2 and abs(agbo.lon + 0.2) < 0.2
    # formula-like text is stored as it was written, as text
    assert civ.description == '=HYPERLINK("https://evil.example/x")'
    assert civ.country_iso3 == "CIV" and civ.site_name == "Côte d’Ivoire collection point"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_and_bom_read_the_same(fixtures_dir, encoding, geocoder):
    text = (fixtures_dir / "contrib_good.csv").read_bytes().decode("utf-8-sig")
    contribs, res = check_file(text.encode(encoding), "good.csv", geocoder=geocoder)
    assert res.errors == []
    assert [c.site_name for c in contribs][2] == "Côte d’Ivoire collection point"
    assert [c.country_iso3 for c in contribs] == ["COD", "GHA", "CIV"]


def test_semicolon_csv_and_trailing_empty_cells(geocoder):
    header = ";".join(GOOD_FORM) + ";;"
    row = ";".join(GOOD_FORM.values()) + ";;"
    contribs, res = check_file(f"{header}\n{row}\n;;;;\n".encode(), "semi.csv", geocoder=geocoder)
    assert res.errors == [] and contribs[0].lat == -10.7146


def test_geojson_point_and_aliases(fixtures_dir, geocoder):
    contribs, res = check_file(
        (fixtures_dir / "contrib_good.geojson").read_bytes(), "g.geojson", geocoder=geocoder
    )
    assert res.errors == []
    assert (contribs[0].lat, contribs[0].lon) == (-10.7146, 25.4837)  # [lon, lat] order
    assert contribs[0].minerals == ["cobalt", "copper"]
    assert contribs[1].location_source == "gazetteer"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"lat": "nan"}, "lat", "finite"),
        ({"lat": "inf"}, "lat", "finite"),
        ({"lon": "181"}, "lon", "-180 and 180"),
        ({"lat": "12,5"}, "lat", "dot for decimals"),
        ({"lon": ""}, "lon", "both lat and lon"),
        ({"lat": "0", "lon": "0"}, "lat", "placeholder"),
        ({"event_date": "2023-13-01"}, "event_date", "calendar"),
        ({"event_date": "2999-01-01"}, "event_date", "future"),
        ({"event_date": "1850-01-01"}, "event_date", "before"),
        ({"evidence_url": "https://user:pw@example.org/x"}, "evidence_url", "password"),
        ({"evidence_url": "https://localhost/x"}, "evidence_url", "public host"),
        ({"evidence_url": "https://example.org/a b"}, "evidence_url", "spaces"),
        ({"country": "Atlantis"}, "country", "country"),
        ({"contributor": "  "}, "contributor", "required"),
        ({"site_id": "no spaces allowed"}, "site_id", "atlas site id"),
        ({"site_name": "x" * 201}, "site_name", "longer than 200"),
        ({"tier": "Quarry"}, "tier", "one of"),
    ],
)
def test_form_rules(change, field, fragment):
    c, errors = validate_form({**GOOD_FORM, **change})
    assert c is None
    assert [e.field for e in errors] == [field]
    assert fragment in errors[0].message and errors[0].row == 1


def test_form_folds_spellings_and_strips_control_characters():
    c, errors = validate_form(
        {
            **GOOD_FORM,
            "tier": "Artisanal Mine",
            "site_name": "Ka\x1b[31msulo\u202e",
            "description": "line one\r\n\r\n\r\n\r\nline\ttwo",
            "minerals": "Cassitérite; 3TG",
        }
    )
    assert errors == []
    assert c.tier == "artisanal_mine" and c.site_name == "Ka[31msulo"
    assert c.description == "line one\n\nline two"
    assert c.minerals == ["tin", "tantalum", "tungsten", "gold"]


def test_formula_like_cells_stay_text():
    for text in ("=1+1", "+33 6", "-5 workers", "@SUM(A1)"):
        c, errors = validate_form({**GOOD_FORM, "description": text, "site_name": text})
        assert errors == [] and c.description == text and c.site_name == text


def test_file_level_problems():
    assert "empty" in str(read_upload(b"", "x.csv").errors[0])
    assert "workbook" in str(read_upload(b"PK\x03\x04rest", "x.csv").errors[0])
    assert "not valid JSON" in str(read_upload(b"{nope", "x.geojson").errors[0])
    assert "FeatureCollection" in str(read_upload(b'{"type": "Point"}', "x.geojson").errors[0])
    only_header = read_upload(",".join(GOOD_FORM).encode(), "x.csv")
    assert only_header.errors[0].message == "no data rows"
    assert all(e.row == 0 for e in read_upload(b"", "x.csv").errors)


def test_too_many_rows_and_unknown_columns(geocoder):
    header = ",".join(GOOD_FORM)
    row = ",".join(GOOD_FORM.values())
    big = "\n".join([header] + [row] * (MAX_ROWS + 1)).encode()
    assert "more than" in str(read_upload(big, "big.csv").errors[0])
    _, res = check_file(f"{header},notes\n{row},x\n".encode(), "x.csv", geocoder=geocoder)
    assert [(e.row, e.field) for e in res.errors] == [(1, "notes")]
    _, res = check_file(f"{header},lat\n{row},1\n".encode(), "x.csv", geocoder=geocoder)
    assert [(e.row, e.field) for e in res.errors] == [(1, "lat")]  # given twice


def test_too_many_cells_in_a_row(geocoder):
    header = ",".join(GOOD_FORM)
    row = ",".join(GOOD_FORM.values()) + ",extra"
    _, res = check_file(f"{header}\n{row}\n".encode(), "x.csv", geocoder=geocoder)
    assert [(e.row, e.field) for e in res.errors] == [(2, "row")]


def test_point_outside_its_country_is_caught(geocoder):
    c, errors = validate_form({**GOOD_FORM, "lat": "10.7146"})  # sign flipped: in Chad/CAR
    from riskatlas.contrib.locate import locate

    errs = locate([c], geocoder=geocoder)
    assert [(e.field, "outside COD" in e.message) for e in errs] == [("lat", True)]


def test_repeated_row_in_one_file(geocoder):
    header = ",".join(GOOD_FORM)
    row = ",".join(GOOD_FORM.values())
    _, res = check_file(f"{header}\n{row}\n{row}\n".encode(), "x.csv", geocoder=geocoder)
    assert [(e.row, e.field, e.message) for e in res.errors] == [(3, "row", "repeats row 2")]


def test_template_is_a_valid_upload(geocoder):
    contribs, res = check_file(template_csv(), "contributions_template.csv", geocoder=geocoder)
    assert res.errors == [] and contribs[0].country_iso3 == "COD"


def test_geojson_nan_token_and_nested_property(geocoder):
    doc = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            **{k: v for k, v in GOOD_FORM.items() if k not in ("lat", "lon")},
            "city": {"name": "Kolwezi"},
        },
    }
    _, res = check_file(json.dumps(doc).encode(), "x.geojson", geocoder=geocoder)
    assert [(e.row, e.field) for e in res.errors] == [(1, "city")]
    text = (
        codecs.BOM_UTF8
        + b'{"type":"Feature","geometry":{"type":"Point","coordinates":[1,NaN]},"properties":{}}'
    )
    _, res = check_file(text, "x.geojson", geocoder=geocoder)
    assert [(e.row, e.field) for e in res.errors] == [(1, "geometry")]


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "name\nCôte d’Ivoire, Bahía, Zürich\n"),
        ("gbk", "名称,地址\n深圳工厂,广东省深圳市宝安区\n东莞电子厂,广东省东莞市\n"),
        ("cp1251", "Название,Город\nНорильский никель,Норильск\n"),
        ("utf-16-le", "name\nKolwezi\n"),  # no BOM
    ],
)
def test_decode_common_spreadsheet_encodings(encoding, text):
    from riskatlas.contrib.readers import decode

    assert decode(text.encode(encoding))[0] == text
