"""Place each contribution: the contributor's own point, the atlas site it names, or the gazetteer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from riskatlas import paths, sql
from riskatlas.contrib.validate import Contribution, RowError

CONTRIBUTOR_NOTE = "point given by the contributor (their claim, not from a published source)"

# site_id -> (name, lat, lon, geo_precision, country_iso3)
SiteLookup = Callable[[Sequence[str]], "dict[str, tuple[Any, ...]] | None"]


def atlas_sites(ids: Sequence[str], con: duckdb.DuckDBPyConnection | None = None):
    """Atlas sites by id, or None when the atlas cannot be read (not built yet).

    Why: a contribution that names an atlas site must name one that exists, and takes that
    site's location when the contributor gave no point. The app passes its own read-only
    cursor; the command line opens the atlas read-only itself.
    """
    if not ids:
        return {}
    own = con is None
    if own:
        path = paths.db_path()
        if not path.is_file():
            return None
        try:
            # the app's configuration, so one process may hold both connections
            con = duckdb.connect(
                str(path), read_only=True, config={"enable_external_access": False}
            )
        except duckdb.Error:
            return None
    try:
        rows = sql.execute(con, "site_places_by_id", {"ids": list(ids)}).fetchall()
    except duckdb.Error:
        return None
    finally:
        if own:
            con.close()
    return {r[0]: r[1:] for r in rows}


def default_geocoder():
    """The offline gazetteer the build uses (one shared instance per process)."""
    from riskatlas.geo.geocoder import geocoder

    return geocoder(str(paths.raw_dir()))


def _outside(contribs: list[Contribution]) -> list[bool | None]:
    """Per contributor point: outside its stated country? None when it cannot be checked."""
    if not contribs:
        return []
    try:
        from riskatlas.geo.check import outside_country

        flags = outside_country(
            [c.lat for c in contribs], [c.lon for c in contribs], [c.country_iso3 for c in contribs]
        )
    except Exception:  # noqa: BLE001 - the check is a help for the contributor, not a gate
        return [None] * len(contribs)
    return [None if f is None else bool(f) for f in flags]


def unknown_site_ids(
    rows: Sequence[tuple[int, str, str]], site_lookup: SiteLookup | None = None
) -> list[RowError]:
    """ "No atlas site has this id" for records that failed validation, as (row, unit, site_id).

    Why: ``locate`` checks site ids only of valid records, so a form with other problems said
    nothing about a wrong site id until those were fixed; every problem is reported at once.
    An atlas that cannot be read checks nothing here (``locate`` says so once the rest is right).
    """
    wanted = sorted({sid for _, _, sid in rows if sid})
    if not wanted:
        return []
    sites = (site_lookup or atlas_sites)(wanted)
    if sites is None:
        return []
    return [
        RowError(row, "site_id", "no atlas site has this id", sid, unit)
        for row, unit, sid in rows
        if sid and sid not in sites
    ]


def locate(
    contribs: list[Contribution],
    site_lookup: SiteLookup | None = None,
    geocoder: Any = None,
) -> list[RowError]:
    """Fill lat, lon, geo_precision, location_source and geo_note; return the problems by row."""
    errors: list[RowError] = []

    def err(c: Contribution, f: str, message: str, value: str = "") -> None:
        errors.append(RowError(c.row, f, message, value, c.unit))

    ids = sorted({c.site_id for c in contribs if c.site_id})
    sites = (site_lookup or atlas_sites)(ids) if ids else {}
    points = [c for c in contribs if c.lat is not None]
    for c, out in zip(points, _outside(points), strict=True):
        c.outside_country = out
        if out:
            err(
                c,
                "lat",
                f"the point ({c.lat}, {c.lon}) lies outside {c.country_iso3}; "
                "check the country, the order of lat and lon, and their signs",
            )
    needs_gazetteer = []
    for c in contribs:
        site = None
        if c.site_id:
            if sites is None:
                err(c, "site_id", "cannot be checked: the atlas database is not built")
                continue
            site = sites.get(c.site_id)
            if site is None:
                err(c, "site_id", "no atlas site has this id", c.site_id)
                continue
            if site[4] and site[4] != c.country_iso3:
                err(
                    c,
                    "country",
                    f"atlas site {c.site_id} is in {site[4]}, not {c.country_iso3}",
                    c.country_raw,
                )
                continue
        if c.lat is not None:
            c.geo_precision, c.location_source, c.geo_note = (
                "exact",
                "contributor",
                CONTRIBUTOR_NOTE,
            )
        elif site is not None and site[1] is not None and site[2] is not None:
            c.lat, c.lon = float(site[1]), float(site[2])
            c.geo_precision, c.location_source = site[3], "atlas_site"
            c.geo_note = f"location of atlas site {c.site_id}"
        else:
            needs_gazetteer.append(c)
    if needs_gazetteer:
        gaz = geocoder if geocoder is not None else default_geocoder()
        for c in needs_gazetteer:
            if gaz is None:
                err(c, "lat", "the place lookup is unavailable; give lat and lon")
                continue
            loc = gaz.locate(c.country_iso3, province=c.province, city=c.city)
            if loc is None or loc.lat is None or loc.lon is None:
                place = ", ".join(p for p in (c.city, c.province, c.country_raw) if p)
                err(
                    c, "city", "could not find this place in the gazetteer; give lat and lon", place
                )
                continue
            c.lat, c.lon = float(loc.lat), float(loc.lon)
            c.geo_precision, c.location_source = loc.geo_precision, "gazetteer"
            c.geo_note = loc.geo_note or f"{loc.geo_precision}-level place from the gazetteer"
    return errors
