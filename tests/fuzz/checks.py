"""Invariants on what an adapter returned: rows accounted for, rejects explained, sane values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from riskatlas.sources.base import GEO_PRECISIONS, TIERS, AdapterResult, valid_coordinate
from tests.fuzz.expect import Expect
from tests.fuzz.targets import TRACES, Target


def check_result(t: Target, r: AdapterResult, exp: Expect) -> None:
    """Every row accounted for, every reject explained, every loaded value sane."""
    assert isinstance(r, AdapterResult), f"{t.name}: load() returned {type(r).__name__}"
    assert exp.readable, (
        f"{t.name}: loaded a file that cannot be parsed ({exp.why}) instead of raising SourceError"
    )
    assert exp.lo <= r.rows_in <= exp.hi, (
        f"{t.name}: rows_in={r.rows_in} but the file holds {exp.lo}..{exp.hi} data rows"
    )
    assert r.rows_loaded + r.rows_rejected == r.rows_in
    assert 0 <= r.rows_rejected <= r.rows_in, (
        f"{t.name}: {r.rows_rejected} rejects for {r.rows_in} rows (a row rejected twice?)"
    )
    for rej in r.rejects:
        assert isinstance(rej["reason"], str) and rej["reason"].strip(), (
            f"reject without reason: {rej}"
        )
        assert isinstance(rej["source_ref"], str)
    for name, df in r.tables.items():
        assert isinstance(df, pd.DataFrame), f"{t.name}: table {name} is {type(df).__name__}"
    trace = TRACES.get(t.name)
    problem = trace(r) if trace else None
    assert problem is None, f"{t.name}: loaded rows not all in the output: {problem}"
    _check_records(t, r)
    _check_values(t, r)


def _check_records(t: Target, r: AdapterResult) -> None:
    rec = r.tables.get("records")
    if rec is None or rec.empty:
        for name in ("links", "site_facts"):
            df = r.tables.get(name)
            assert df is None or df.empty, f"{t.name}: {name} rows without any record"
        return
    refs = rec["source_ref"]
    assert refs.notna().all() and refs.is_unique, f"{t.name}: record source_ref missing or repeated"
    assert rec["tier"].isin(TIERS).all(), f"{t.name}: tier outside {TIERS}"
    assert rec["geo_precision"].dropna().isin(GEO_PRECISIONS).all()
    for lat, lon in zip(rec["lat"], rec["lon"], strict=True):
        if pd.isna(lat) and pd.isna(lon):
            continue
        problem = valid_coordinate(lat, lon)
        assert problem is None, f"{t.name}: record loaded with a bad coordinate: {problem}"
    known = set(refs)
    for name in ("links", "site_facts"):
        df = r.tables.get(name)
        if df is not None and not df.empty:
            missing = set(df["record_ref"]) - known
            assert not missing, f"{t.name}: {name} point to no record: {sorted(missing)[:3]}"


def _check_values(t: Target, r: AdapterResult) -> None:
    ind = r.tables.get("country_indicators")
    if ind is not None and not ind.empty:
        values = pd.to_numeric(ind["value"], errors="coerce").to_numpy(dtype=float)
        assert np.isfinite(values).all(), f"{t.name}: indicator value NaN or infinite loaded"
        years = pd.to_numeric(ind["year"], errors="coerce")
        assert years.between(1900, 2100).all(), f"{t.name}: indicator year outside 1900-2100"
        assert ind["country_iso3"].isna().sum() == 0, f"{t.name}: indicator without ISO3"
    shapes = r.tables.get("country_shapes")
    if shapes is not None and not shapes.empty:
        for lat, lon in zip(shapes["label_lat"], shapes["label_lon"], strict=True):
            assert valid_coordinate(lat, lon) is None, f"{t.name}: label point {lat}, {lon}"
        for gj in shapes["geojson"]:
            json.loads(gj)
