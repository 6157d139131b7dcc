"""Build the atlas: every adapter, then geocode, resolve, score, and write one DuckDB file atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import h3
import numpy as np
import pandas as pd

from . import brands as brand_names
from . import paths, schema
from .checksum import sha256_file
from .geo import gazetteer_cache
from .resolve import resolve_all
from .sources import ADAPTERS, UnknownSource, adapter, without
from .sources.base import AdapterResult, SourceError

H3_RESOLUTIONS = (3, 5)
SCHEMA_VERSION = 2


class BuildError(Exception):
    """The build could not finish; the previous database is left untouched."""


@dataclass
class BuildReport:
    out: Path
    seconds: float
    sources: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_adapters(raw: Path, names=ADAPTERS, progress: Callable[[str], None] = _progress):
    """Load every source; a missing or unreadable file fails loudly, naming the source."""
    results: list[AdapterResult] = []
    for i, name in enumerate(names, 1):
        t0 = time.perf_counter()
        mod = adapter(name)
        try:
            res = mod.load(raw)
        except SourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - re-raised with the source named
            raise SourceError(f"{name}: could not be read: {type(exc).__name__}: {exc}") from exc
        progress(
            f"[{i:2d}/{len(names)}] {res.source.source_id:<28} in {res.rows_in:>7,} "
            f"loaded {res.rows_loaded:>7,} rejected {res.rows_rejected:>6,} "
            f"({time.perf_counter() - t0:.1f}s)"
        )
        results.append(res)
    return results


def _concat(results: list[AdapterResult], table: str) -> pd.DataFrame:
    frames = []
    for r in results:
        df = r.tables.get(table)
        if df is None or df.empty:
            continue
        df = df.copy()
        df["source_id"] = r.source.source_id
        frames.append(df)
    if not frames:
        return pd.DataFrame()
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    # all-empty columns are dropped before concatenating (their dtype would be guessed) and
    # come back as missing values afterwards
    frames = [f.loc[:, f.notna().any(axis=0) | (f.columns == "source_id")] for f in frames]
    return pd.concat(frames, ignore_index=True, sort=False).reindex(columns=columns)


def _ordered(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` with the declared columns of ``table`` (queries/schema_core.sql) first, missing ones
    as NULL; the build's own helper columns (``_``-prefixed) dropped. A column the declaration
    does not name stays, and :func:`_write` refuses it: declare it first."""
    cols = schema.columns(table)
    for c in cols:
        if c not in df.columns:
            df[c] = None
    return df[cols + [c for c in df.columns if c not in cols and not c.startswith("_")]]


def _h3_cells(lat: pd.Series, lon: pd.Series, res: int) -> list[str | None]:
    return [
        h3.latlng_to_cell(a, b, res) if a == a and b == b else None
        for a, b in zip(lat.to_numpy(float), lon.to_numpy(float), strict=True)
    ]


def assemble(
    results: list[AdapterResult], raw: Path, progress=_progress
) -> dict[str, pd.DataFrame]:
    """Turn adapter outputs into the contract tables."""
    from .geo.check import outside_country
    from .geo.geocoder import Geocoder
    from .geo.name_places import place_frame

    tables: dict[str, pd.DataFrame] = {}
    t0 = time.perf_counter()

    records = _concat(results, "records")
    records["source_ref"] = records["source_ref"].astype(str)
    given = records["geo_precision"].notna().to_numpy()
    geocoder = Geocoder(raw)
    records = geocoder.locate_frame(records)
    records = place_frame(records, geocoder, given)
    progress(
        f"geocoded {records['geo_precision'].notna().sum():,} of {len(records):,} records "
        f"({time.perf_counter() - t0:.1f}s)"
    )

    t0 = time.perf_counter()
    sites, site_records, stats, candidates = resolve_all(records)
    progress(
        f"resolved {stats['records']:,} records into {stats['sites']:,} sites, "
        f"{stats['duplicates_merged']:,} duplicates merged ({time.perf_counter() - t0:.1f}s)"
    )

    has = sites["lat"].notna()
    flag = pd.Series([None] * len(sites), dtype=object)
    flag[has] = outside_country(
        sites.loc[has, "lat"].to_numpy(float),
        sites.loc[has, "lon"].to_numpy(float),
        sites.loc[has, "country_iso3"].tolist(),
        raw_dir=raw,
    )
    sites["outside_country"] = flag.astype("boolean")
    for r in H3_RESOLUTIONS:
        sites[f"h3_r{r}"] = _h3_cells(sites["lat"], sites["lon"], r)
    tables["sites"] = _ordered(sites, "sites")
    tables["site_records"] = _ordered(site_records, "site_records")
    tables["match_candidates"] = _ordered(candidates, "match_candidates")

    key = records.assign(site_id=_site_of(records, site_records))
    ref_to_site = {
        (s, r): site
        for s, r, site in zip(key["source_id"], key["source_ref"], key["site_id"], strict=True)
    }

    facts = _concat(results, "site_facts")
    if not facts.empty:
        facts["site_id"] = [
            ref_to_site.get((s, str(r)))
            for s, r in zip(facts["source_id"], facts["record_ref"], strict=True)
        ]
        facts["observed_on"] = pd.to_datetime(facts["observed_on"], errors="coerce").dt.date
        facts["value"] = facts["value"].astype(str)
        tables["site_facts"] = _ordered(
            facts.drop(columns=["record_ref"]), "site_facts"
        ).sort_values(["site_id", "fact", "observed_on", "source_ref"], na_position="last")

    conflict_tables = _link_conflicts(results, sites, site_records, key, progress)
    if conflict_tables is not None:
        tables["conflict_links"], impacts = conflict_tables
        if not impacts.empty:
            merged = pd.concat([tables.get("site_facts", pd.DataFrame()), impacts])
            tables["site_facts"] = _ordered(merged, "site_facts").sort_values(
                ["site_id", "fact", "observed_on", "source_ref"], na_position="last"
            )

    links = _concat(results, "links")
    if not links.empty:
        links["site_id"] = [
            ref_to_site.get((s, str(r)))
            for s, r in zip(links["source_id"], links["record_ref"], strict=True)
        ]
        links["brand_id"] = [brand_names.brand_id(b) for b in links["brand"]]
        brands = (
            links[["brand_id", "brand"]]
            .drop_duplicates("brand_id")
            .rename(columns={"brand": "name"})
            .assign(name=lambda d: [brand_names.display_name(n) for n in d["name"]])
            .sort_values("brand_id")
        )
        tables["brands"] = _ordered(brands, "brands")
        links["year"] = pd.to_numeric(links["year"], errors="coerce").astype("Int64")
        tables["links"] = _ordered(
            links.drop(columns=["record_ref", "brand"]), "links"
        ).sort_values(["brand_id", "site_id", "mineral", "year", "source_ref"], na_position="last")

    for name in ("country_indicators", "goods_risk"):
        df = _concat(results, name)
        if not df.empty:
            tables[name] = _ordered(df, name)

    known = {"records", "site_facts", "links", "country_indicators", "goods_risk"}
    for r in results:
        for name, df in r.tables.items():
            if name in known:
                continue
            if name in tables:
                raise BuildError(f"table {name!r} returned by two sources")
            tables[name] = df.assign(source_id=r.source.source_id) if "source_id" not in df else df

    _add_places(tables, key, links)

    rejects = [{"source_id": r.source.source_id, **rej} for r in results for rej in r.rejects]
    tables["rejects"] = _ordered(
        pd.DataFrame(rejects, columns=["source_id", "source_ref", "reason", "raw"]), "rejects"
    )
    tables["sources"] = _ordered(
        pd.DataFrame(
            [
                {
                    "source_id": r.source.source_id,
                    "title": r.source.title,
                    "publisher": r.source.publisher,
                    "url": r.source.url,
                    "licence": r.source.licence,
                    "data_date": r.source.data_date,
                    "rows_in": r.rows_in,
                    "rows_loaded": r.rows_loaded,
                    "rows_rejected": r.rows_rejected,
                    "folder": r.source.folder,
                    "files": list(r.source.files),
                    "file_sha256": json.dumps(r.file_hashes, sort_keys=True),
                    "notes": r.source.notes,
                }
                for r in results
            ]
        ),
        "sources",
    )
    tables["_stats"] = pd.DataFrame([{"key": k, "value": str(v)} for k, v in stats.items()])
    return tables


def _add_places(tables: dict[str, pd.DataFrame], records: pd.DataFrame, links) -> None:
    """site_places (riskatlas.places): every name and place the sources give a site; the
    derived step turns it into the Site page's search text and the Map's province."""
    from . import places

    tables["site_places"] = places.site_places(
        records, links if isinstance(links, pd.DataFrame) else None
    )


def _link_conflicts(results, sites, site_records, key, progress):
    """conflict_links and the impact facts of linked sites, when a source gave conflicts."""
    from .conflict_links import impact_facts, link_conflicts
    from .sources import ejatlas

    found = [r for r in results if "conflicts" in r.tables]
    if not found:
        return None
    t0 = time.perf_counter()
    conflicts = found[0].tables["conflicts"]
    source_id = found[0].source.source_id
    # names of the site from the other sources (a case's own title is not a company name)
    names = [site_records.loc[site_records["source_id"] != source_id, ["site_id", "name"]]]
    if "group_names" in key.columns:  # ICMM: the names of the source sites of a cluster
        groups = key.loc[key["group_names"].notna(), ["site_id", "group_names"]]
        groups = groups.assign(name=groups["group_names"].str.split(";")).explode("name")
        names.append(groups[["site_id", "name"]])
    own = key[key["source_id"] == source_id]
    case_ids = own["source_ref"].astype(str).str.removeprefix(ejatlas.SITE_REF_PREFIX)
    case_sites = dict(zip(case_ids, own["site_id"], strict=True))
    links = link_conflicts(
        conflicts,
        sites[["site_id", "lat", "lon", "minerals"]],
        pd.concat(names, ignore_index=True).dropna(),
        case_sites,
    )
    links["source_id"] = source_id
    impacts = impact_facts(links, conflicts).assign(source_id=source_id)
    progress(
        f"linked {links['conflict_id'].nunique():,} documented conflicts to "
        f"{links['site_id'].nunique():,} sites ({time.perf_counter() - t0:.1f}s)"
    )
    return links, impacts


def _site_of(records: pd.DataFrame, site_records: pd.DataFrame) -> list[str]:
    m = dict(
        zip(
            zip(site_records["source_id"], site_records["source_ref"].astype(str), strict=True),
            site_records["site_id"],
            strict=True,
        )
    )
    return [
        m.get((s, str(r))) for s, r in zip(records["source_id"], records["source_ref"], strict=True)
    ]


def _write(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    df = df.reset_index(drop=True)
    for c in df.columns:
        if df[c].dtype == object and df[c].map(lambda v: isinstance(v, np.ndarray)).any():
            df[c] = df[c].map(lambda v: list(v) if isinstance(v, np.ndarray) else v)
    try:
        schema.write(con, name, df)
    except schema.SchemaError as exc:
        raise BuildError(str(exc)) from exc


def _remove_stale_temp_files(out: Path) -> None:
    """Delete temp files a killed build left beside ``out`` (their process is gone)."""
    for p in out.parent.glob(f".{out.name}.*.tmp*"):
        pid = p.name[len(out.name) + 2 :].split(".", 1)[0]
        if not pid.isdecimal() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)
        except PermissionError:  # a live process of another user: not ours to remove
            continue


def build(
    raw: Path | None = None,
    out: Path | None = None,
    progress=_progress,
    skip: tuple[str, ...] | list[str] = (),
) -> BuildReport:
    """Build the database at ``out`` from the raw files in ``raw``, leaving out the sources
    named in ``skip`` (source ids or adapter names; see riskatlas.sources.without).

    Writes to a temporary file beside ``out`` and renames it into place only when everything
    succeeded, so a failed or killed build leaves the previous database untouched.
    """
    raw = paths.raw_dir(raw)
    out = paths.db_path(out)
    try:
        names = without(tuple(skip))
    except UnknownSource as exc:
        raise BuildError(str(exc)) from exc
    from .risk import load_config

    config = load_config()  # a bad weights file ($RISKATLAS_WEIGHTS) stops here, not at scoring
    if not raw.is_dir():
        raise BuildError(
            f"raw directory not found: {raw} (run `python -m riskatlas fetch` or pass --raw)"
        )
    t_start = time.perf_counter()
    progress(f"building {out} from {raw}")
    warming = gazetteer_cache.warm_in_background()  # first build: index places while adapters run
    if skip:
        progress(f"leaving out {', '.join(skip)}")
    results = (
        run_adapters(raw, names=names, progress=progress)
        if skip
        else run_adapters(raw, progress=progress)
    )
    if warming is not None:
        try:
            warming.result()
        except Exception as exc:  # noqa: BLE001 - load() builds it here instead
            progress(f"gazetteer index not prepared in the background ({type(exc).__name__})")
    if not any(len(r.tables.get("records", ())) for r in results):
        raise BuildError(
            "no source left gives sites (records): the atlas needs at least one; leave out fewer "
            "with --skip"
        )
    tables = assemble(results, raw, progress=progress)

    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        for name in sorted(tables):
            if not name.startswith("_"):
                _write(con, name, tables[name])
        t0 = time.perf_counter()
        from .derived import create_derived
        from .exposure import compute_exposure
        from .risk import compute_risk

        for name in ("conflicts", "conflict_links"):  # empty in a build without EJAtlas
            schema.create(con, name, "if_not_exists")
        compute_risk(con, config)
        compute_exposure(con)
        progress(f"risk and inferred exposure scored ({time.perf_counter() - t0:.1f}s)")
        t0 = time.perf_counter()
        derived = create_derived(con)
        progress(
            f"derived {derived['map_sites']:,} map rows and {derived['hotspots']:,} hotspot rows "
            f"({time.perf_counter() - t0:.1f}s)"
        )
        stats = dict(zip(tables["_stats"]["key"], tables["_stats"]["value"], strict=True))
        seconds = time.perf_counter() - t_start
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "raw_dir": str(raw),
            "build_seconds": f"{seconds:.1f}",
            # the weights scored with (their values are in risk_weights): the Sources page says
            # when the weights file has changed since
            "weights_file": str(config.path),
            "weights_sha256": sha256_file(config.path),
            **stats,
        }
        _write(con, "build_info", pd.DataFrame(sorted(meta.items()), columns=["key", "value"]))
        try:
            schema.check(con, complete=False)  # a table written around the declaration
        except schema.SchemaError as exc:
            raise BuildError(str(exc)) from exc
        con.checkpoint()
        con.close()
        os.replace(tmp, out)
    except BaseException:
        try:
            con.close()
        except Exception:  # noqa: BLE001
            pass
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    progress(f"wrote {out} in {seconds:.1f}s")
    return BuildReport(
        out=out, seconds=seconds, sources=tables["sources"].to_dict("records"), stats=stats
    )
