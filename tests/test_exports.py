"""Downloads: exactly the filtered set, never capped, cited, and safe to open in a spreadsheet."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import numpy as np
import pandas as pd

from riskatlas.exports import (
    EXPORT_COLUMNS,
    neutralise,
    to_csv,
    to_geojson,
    to_geopackage,
    to_xlsx,
)

FORMULA = '=HYPERLINK("http://evil.example","click")'


def _frame(n: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    names = ["Kambove", FORMULA, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
    return pd.DataFrame(
        {
            "site_id": [f"site{i:06d}" for i in range(n)],
            "name": [names[i % len(names)] for i in range(n)],
            "tier": "artisanal_mine",
            "kind": "inferred",
            "lat": rng.uniform(-12, -1, n),
            "lon": rng.uniform(25, 29, n),
            "geo_precision": "exact",
            "country_iso3": "COD",
            "minerals": [["cobalt", "copper"]] * n,
            "labour": [None if i % 3 == 0 else float(i % 100) for i in range(n)],
            "source_id": "ilab_goods",
            "source_ref": "cobalt|COD",
            "site_source_id": "ipis",
            "site_source_ref": [f"codmine{i:05d}" for i in range(n)],
            "h3_r5": "85xxx",
        }
    )


def test_neutralise_formula_prefixes():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Kambove") == "Kambove"
    assert neutralise(-1.5) == -1.5  # numbers stay numbers


def test_csv_is_every_row_with_citations_and_no_live_formula():
    df = _frame(5)
    out = pd.read_csv(io.BytesIO(to_csv(df)), keep_default_na=False)
    assert len(out) == 5
    assert list(out.columns[: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    assert set(out["source_id"]) == {"ilab_goods"} and set(out["site_source_id"]) == {"ipis"}
    assert out.loc[1, "name"] == "'" + FORMULA
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in out["name"])
    assert out.loc[0, "minerals"] == "cobalt; copper"
    assert "h3_r5" not in out.columns  # internal columns are not exported
    assert out.loc[0, "labour"] == ""  # unknown stays empty, never 0


def test_xlsx_is_every_row_with_citations_and_says_what_columns_mean():
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(_frame(5))))
    rows = list(wb["sites"].iter_rows(values_only=True))
    assert list(rows[0][: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS and len(rows) == 6
    names = [r[EXPORT_COLUMNS.index("name")] for r in rows[1:]]
    assert names[1] == "'" + FORMULA  # text, never a live formula
    assert rows[1][EXPORT_COLUMNS.index("labour")] is None  # unknown stays empty, never 0
    about = " ".join(str(r[0]) for r in wb["about"].iter_rows(values_only=True))
    assert "unknown" in about and "inferred" in about and "source_ref" in about


def test_csv_is_never_capped():
    df = _frame(60_123)
    text = to_csv(df).decode("utf-8")
    assert text.count("\n") == 60_123 + 1


def test_geojson_points_with_all_properties():
    df = _frame(7)
    fc = json.loads(to_geojson(df))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    f = fc["features"][1]
    assert f["geometry"]["type"] == "Point"
    assert f["geometry"]["coordinates"] == [df.loc[1, "lon"], df.loc[1, "lat"]]
    assert f["properties"]["name"] == FORMULA  # GeoJSON keeps the text as published
    assert f["properties"]["source_ref"] == "cobalt|COD"
    assert fc["features"][0]["properties"]["labour"] is None


def test_geopackage_reads_back():
    df = _frame(11)
    gdf = gpd.read_file(io.BytesIO(to_geopackage(df)))
    assert len(gdf) == 11
    assert {"site_id", "source_id", "source_ref", "site_source_ref"} <= set(gdf.columns)
    assert gdf.crs.to_epsg() == 4326
    assert sorted(gdf["site_id"]) == sorted(df["site_id"])
