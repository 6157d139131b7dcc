"""Downloads of exactly the filtered set (CSV, GeoJSON, GeoPackage), uncapped, with citations."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pandas as pd

# Spreadsheet formula triggers (OWASP CSV injection): = + - @, and tab / carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXPORT_COLUMNS = [
    "site_id",
    "name",
    "tier",
    "kind",
    "lat",
    "lon",
    "geo_precision",
    "geo_method",
    "geo_note",
    "country_iso3",
    "country_name",
    "minerals",
    "labour",
    "environment",
    "labour_coverage",
    "environment_coverage",
    "evidence_level",
    "brands",
    "link_minerals",
    "link_years",
    "source_id",
    "source_ref",
    "site_source_id",
    "site_source_ref",
    "explanation",
    # where the site is below country, and how that is known (source or geocoded)
    "province",
    "province_basis",
    # the site's latest visit (IPIS) and what it found: yes / no / empty = not asked there
    "latest_visit_date",
    "latest_visit_ref",
    "finding_child_labour",
    "finding_forced_labour",
    "finding_armed_presence",
    "finding_armed_interference",
    "finding_illegal_taxation",
    "finding_mercury",
    "finding_women",
]


def _flat(value: Any) -> Any:
    """Lists (minerals, years) become '; '-joined text; NaN stays missing."""
    if isinstance(value, list | tuple) or (hasattr(value, "tolist") and not isinstance(value, str)):
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, list):
            return "; ".join(str(v) for v in items if v is not None)
    return value


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The filtered set in export shape: every row, the citation columns, lists flattened."""
    out = df.copy()
    for col in EXPORT_COLUMNS:
        if col not in out.columns:
            out[col] = None
    out = out[EXPORT_COLUMNS + [c for c in out.columns if c not in EXPORT_COLUMNS and _keep(c)]]
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_flat)
    return out.reset_index(drop=True)


def _keep(col: str) -> bool:
    return col not in {"h3_r3", "h3_r5", "fill", "line", "radius", "width"}


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(df: pd.DataFrame, shaped: bool = True) -> bytes:
    """CSV (UTF-8) of the filtered set (``shaped=False``: of any table, its columns as they
    are); formula-looking text cells neutralised."""
    out = _neutralised(df, shaped)
    # CRLF rows (RFC 4180): the csv writer then quotes a cell holding a carriage return, which
    # would otherwise end the row and start a new cell with what follows (e.g. '\r@SUM(...)').
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _neutralised(df: pd.DataFrame, shaped: bool = True) -> pd.DataFrame:
    """The export frame (or, unshaped, the table itself) with every formula-looking text cell
    neutralised (CSV and xlsx)."""
    out = export_frame(df) if shaped else df.reset_index(drop=True).copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(neutralise)
    return out


XLSX_ABOUT = (
    ("Electronics Supply-Chain Risk Atlas: one row per site of the view (sheet 'sites').",),
    (
        "kind: documented = the brand's own disclosure lists the site; inferred = no disclosure "
        "names it, the data only suggests a route; site = no brand chosen; contributed = reviewed "
        "evidence from advocates and unions, not a published source.",
    ),
    (
        "source_id / source_ref: the disclosure or record behind the row; site_source_id / "
        "site_source_ref: where the site itself comes from.",
    ),
    ("labour / environment: risk 0-100; an empty cell means no evidence (unknown), not low.",),
    (
        "evidence_level: the strongest evidence the scores rest on: site = a dated finding at this "
        "site (an IPIS visit, a named report) or a documented conflict linked to it; "
        "mineral_country = the ILAB List of Goods for the mineral in the country; country = "
        "national conditions only, the same for every site in the country; none = no score.",
    ),
    (
        "Licences: each source's terms are on the Sources page. Documented conflicts and e-waste "
        "sites citing ejatlas.org come from EJAtlas – Global Atlas of Environmental Justice "
        "(ejatlas.org): non-commercial use only, with attribution and a link to each case; "
        "derived data stay under the same terms. An atlas built with --skip ejatlas has none.",
    ),
    (
        "geo_precision: exact, city, province or country; approximate points are not the site's "
        "own coordinates. geo_method: how the point was placed (source_coordinates: published "
        "by the source; source_address: from the address it gives; matched_record: from a "
        "record of another source matched by name; name_place: a place named in the "
        "facility's name; country_only: the country's point); geo_note says which and why.",
    ),
    (
        "province / province_basis: the site's province as its source gives it, or as geocoded "
        "(the GeoNames region of the place the site was put at).",
    ),
    (
        "latest_visit_date / latest_visit_ref: the site's latest IPIS visit (vid); finding_*: "
        "what that visit found (yes / no; empty = the question was not asked, never 'no').",
    ),
    ("Text cells that a spreadsheet would run as a formula start with a quote (').",),
)


def to_xlsx(
    df: pd.DataFrame, about: tuple[tuple[str], ...] = XLSX_ABOUT, sheet: str = "sites"
) -> bytes:
    """Excel workbook of the filtered set (sheet 'sites', every row) and what the columns mean
    (sheet 'about'); formula-looking text cells neutralised, so every cell is text or a number.
    Another table (``sheet`` not 'sites') keeps its own columns and brings its own ``about``."""
    out = _neutralised(df, shaped=sheet == "sites")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        out.to_excel(xl, sheet_name=sheet, index=False)
        pd.DataFrame(about, columns=["about this download"]).to_excel(
            xl, sheet_name="about", index=False
        )
    return buf.getvalue()


def _geodataframe(df: pd.DataFrame):
    import geopandas as gpd

    out = export_frame(df)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if _missing(v) else str(v))
    return gpd.GeoDataFrame(
        out,
        geometry=gpd.points_from_xy(out["lon"].astype(float), out["lat"].astype(float)),
        crs="EPSG:4326",
    )


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def to_geojson(df: pd.DataFrame) -> bytes:
    """GeoJSON FeatureCollection of points (WGS84), one feature per row, all columns."""
    gdf = _geodataframe(df)
    return json.dumps(json.loads(gdf.to_json(na="null", drop_id=True)), ensure_ascii=False).encode(
        "utf-8"
    )


def to_geopackage(df: pd.DataFrame, layer: str = "sites") -> bytes:
    """GeoPackage (pyogrio) with one point layer of the filtered set."""
    gdf = _geodataframe(df)
    buf = io.BytesIO()
    gdf.to_file(buf, driver="GPKG", engine="pyogrio", layer=layer)
    return buf.getvalue()
