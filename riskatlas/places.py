"""Every name and place the sources give a site, kept at build time for search and the province.

Why: a site keeps one name, one province and one city (its preferred record's), but people look
for places by what any source calls them: IPIS's village, groupement, collectivité and
territoire ("Rubaya" is a groupement), RMI's aliases, the address a brand lists, the name a
brand's list uses. The build writes them all to ``site_places`` (one row per site, field and
value, with the record it comes from), ``site_search`` (one folded text per site for the Site
page's search) and ``site_provinces`` (the province the Map shows and filters on, and how it is
known). Folding (accents, case, punctuation) is riskatlas.geo.gazetteer.fold, here and at query time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from riskatlas.geo.gazetteer import fold, strip_admin

# record column -> site_places.field, in the order the Site page would name them
PLACE_FIELDS = {
    "village": "village",
    "groupement": "groupement",
    "collectivite": "collectivité",
    "territoire": "territoire",
    "city": "city",
    "province": "province",
    "address": "address",
    "selling_points": "where its minerals are sold",
}
SOLD_AT = PLACE_FIELDS["selling_points"]
GEOCODED_PROVINCE = "province (geocoded)"
NAME_FIELDS = ("name", "alias", "name as a brand lists it")
BASIS_SOURCE = "source"
BASIS_GEOCODED = "geocoded: GeoNames admin1 of the place the site was put at"
PLACES_COLUMNS = ["site_id", "source_id", "source_ref", "field", "value"]


def _values(value: Any) -> list[str]:
    """A cell as text values: lists (aliases) give each item; empty gives none."""
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    if isinstance(value, float) and value != value:
        return []
    text = str(value).strip()
    return [text] if text and text.lower() != "nan" else []


def province_key(name: str) -> str:
    """A province name folded for matching: accents, case and punctuation ignored, and the
    administrative words GeoNames adds ("Jiangsu Sheng", "Gyeonggi-do", "Shanghai Shi") left
    out, so a geocoded name and the name a source or a person types meet."""
    words = fold(str(name)).split()
    return " ".join(strip_admin(words) or words)


def site_places(records: pd.DataFrame, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (site, field, value) from the records (with ``site_id``) and the brand links.

    ``records`` carries what the adapters gave plus ``geo_admin1`` (riskatlas.geo.geocoder); links
    add the name a brand's list gives the site when it differs from the site's names.
    """
    rows: list[tuple[str, str, str, str, str]] = []
    cols = set(records.columns)

    def add(site, src, ref, field, cell) -> None:
        if site is None or (isinstance(site, float) and site != site):
            return
        for v in _values(cell):
            rows.append((str(site), str(src), str(ref), field, v))

    for rec in records.to_dict("records"):
        site, src, ref = rec.get("site_id"), rec.get("source_id"), rec.get("source_ref")
        add(site, src, ref, "name", rec.get("name"))
        if "aliases" in cols:
            add(site, src, ref, "alias", rec.get("aliases"))
        for col, field in PLACE_FIELDS.items():
            if col in cols:
                add(site, src, ref, field, rec.get(col))
        if "geo_admin1" in cols:
            add(site, src, ref, GEOCODED_PROVINCE, rec.get("geo_admin1"))
    if links is not None and not links.empty and "name_as_reported" in links:
        for site, src, ref, name in zip(
            links["site_id"],
            links["source_id"],
            links["source_ref"],
            links["name_as_reported"],
            strict=True,
        ):
            add(site, src, ref, "name as a brand lists it", name)
    out = pd.DataFrame(rows, columns=PLACES_COLUMNS)
    # one row per site, field and value (the first record that gives it)
    out["_key"] = [fold(v) for v in out["value"]]
    out = out.drop_duplicates(["site_id", "field", "_key"]).drop(columns="_key")
    return out.sort_values(["site_id", "field", "value"]).reset_index(drop=True)


def site_provinces(sites: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The province of each site that has one: its own record's, else any record's, else the
    geocoder's admin1 of the place it was put at (basis says which); a folded key to filter on."""
    provinces = sites["province"] if "province" in sites else [None] * len(sites)
    own = {s: p[0] for s, p in zip(sites["site_id"], map(_values, provinces), strict=True) if p}
    first: dict[str, dict[str, str]] = {}
    for site, field, value in zip(places["site_id"], places["field"], places["value"], strict=True):
        if field in ("province", GEOCODED_PROVINCE):
            first.setdefault(site, {}).setdefault(field, value)
    rows = []
    for site in sites["site_id"]:
        found = first.get(site, {})
        if site in own:
            name, basis = own[site], BASIS_SOURCE
        elif "province" in found:
            name, basis = found["province"], BASIS_SOURCE
        elif GEOCODED_PROVINCE in found:
            name, basis = found[GEOCODED_PROVINCE], BASIS_GEOCODED
        else:
            continue
        key = province_key(name)
        if key:
            rows.append((site, name, key, basis))
    return pd.DataFrame(rows, columns=["site_id", "province", "province_key", "province_basis"])


def search_rows(
    sites: pd.DataFrame,
    places: pd.DataFrame,
    country_names: dict[str, str],
    tier_words: dict[str, Iterable[str]],
) -> pd.DataFrame:
    """One row per site: its folded name and names (name_key), and every word a person may use
    to find it (text_key: names, places, tier and country), plus the places as shown."""
    names: dict[str, list[str]] = {}
    where: dict[str, list[str]] = {}
    sold: dict[str, list[str]] = {}
    for site, field, value in zip(places["site_id"], places["field"], places["value"], strict=True):
        bucket = names if field in NAME_FIELDS else (sold if field == SOLD_AT else where)
        bucket.setdefault(site, []).append(value)
    rows = []
    for site, name, tier, iso3 in zip(
        sites["site_id"], sites["name"], sites["tier"], sites["country_iso3"], strict=True
    ):
        all_names = list(dict.fromkeys([str(name), *names.get(site, [])]))
        place_list = list(dict.fromkeys(where.get(site, [])))
        sold_at = list(dict.fromkeys(sold.get(site, [])))
        extra = [*tier_words.get(tier, ()), country_names.get(iso3, ""), str(iso3 or "")]
        shown = "; ".join(_outermost(place_list)[:6])
        if sold_at:
            shown += ("; " if shown else "") + "minerals sold at " + ", ".join(sold_at[:4])
        rows.append(
            (
                site,
                fold(str(name)),
                " ".join(fold(n) for n in all_names),
                " ".join(fold(t) for t in (*all_names, *place_list, *sold_at, *extra) if t),
                shown or None,
            )
        )
    return pd.DataFrame(rows, columns=["site_id", "name_key", "names_key", "text_key", "places"])


def _outermost(values: list[str]) -> list[str]:
    """The places without those another one already holds ("Masisi" inside the address
    "Luhundje, Matanda, Bahunde, Masisi, Nord-Kivu"), longest first."""
    keys = [(fold(v), v) for v in values]
    keys.sort(key=lambda kv: -len(kv[0]))
    kept: list[tuple[str, str]] = []
    for k, v in keys:
        if k and not any(f" {k} " in f" {other} " for other, _ in kept):
            kept.append((k, v))
    return [v for _, v in kept]


def search_words(text: str) -> list[str]:
    """The folded words of what a person typed (at most 12), as the search query takes them."""
    return fold(str(text))[:200].split()[:12]
