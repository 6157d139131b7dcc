"""Faults: a build killed with SIGKILL leaves the previous database serving and the next build
working; a damaged or missing database gives a page that says what to run; a missing source
file fails that source by name. (bench/faults.py runs the 10-trial version.)"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.faults import full_build, kill_trial, serves, temp_files
from riskatlas.db import BUILD_HINT as DB_BUILD_HINT
from riskatlas.paths import REPO_ROOT
from riskatlas.sources import adapter
from riskatlas.sources.base import SourceError
from tests.hostile_support import markdown_bodies, run_page

# what a page says when it cannot read the atlas (not any mention of the build command: the
# Sources page names `python -m riskatlas build --skip ejatlas` for openly licensed data)
BUILD_HINT = DB_BUILD_HINT


def test_kill9_during_build_two_trials(atlas_db, raw_dir, tmp_path):
    """One kill at a random moment while the sources load, one in the write phase (once the
    build's temporary database exists): OUT stays byte for byte the same and serves; then a
    full build in the same folder, beside the leftovers, succeeds."""
    rng = random.Random(11)
    out = tmp_path / "atlas.duckdb"
    shutil.copyfile(atlas_db, out)
    reference = serves(out)
    assert reference["ok"] and reference["sites"] > 30_000 and reference["cobalt_sites"] > 0

    early = kill_trial(raw_dir, out, delay=rng.uniform(0.5, 5.0))
    late = kill_trial(raw_dir, out, after_temp=rng.uniform(0.0, 1.5))
    for trial in (early, late):
        assert trial["killed"], trial
        assert trial["returncode"] == -9
        assert trial["unchanged"], trial
        assert trial["serves"] == reference, trial
    assert late["phase"] == "write", late
    # a kill -9 cannot clean up: the write-phase kill leaves its temporary database
    left = temp_files(out)
    assert left and all(p.name.startswith(".atlas.duckdb.") for p in left)

    nxt = full_build(raw_dir, out)
    assert nxt["returncode"] == 0, nxt
    after = serves(out)  # the current code's atlas (counts may differ from an older copy)
    assert after["ok"] and after["sites"] > 30_000 and after["cobalt_sites"] > 0


# --- a damaged or missing database -------------------------------------------------------------


def _damaged(kind: str, good: Path, target: Path) -> Path:
    rng = random.Random(kind)
    data = good.read_bytes()
    if kind == "missing":
        return target
    if kind == "empty":
        target.write_bytes(b"")
    elif kind == "random_bytes":
        target.write_bytes(rng.randbytes(1 << 20))
    elif kind == "truncated_third":
        target.write_bytes(data[: len(data) // 3])
    elif kind == "truncated_header":
        target.write_bytes(data[: 3 * 4096])
    elif kind == "header_then_noise":
        target.write_bytes(data[: 3 * 4096] + rng.randbytes(len(data) - 3 * 4096))
    elif kind == "flipped_blocks":
        # bit rot in a window at every tenth of the file past the header, so some of the tables
        # a page reads are hit whatever the table layout of this build
        buf = bytearray(data)
        for tenth in range(1, 10):
            start = max(3 * 4096, len(buf) * tenth // 10)
            for i in range(start, min(len(buf), start + 40_000), 7):
                buf[i] ^= 0xFF
        target.write_bytes(bytes(buf))
    elif kind == "a_directory":
        target.mkdir()
    elif kind == "no_atlas_tables":
        con = duckdb.connect(str(target))
        con.execute("CREATE TABLE other(a INTEGER)")
        con.close()
    elif kind == "missing_a_table":
        shutil.copyfile(good, target)
        con = duckdb.connect(str(target))
        con.execute("DROP TABLE site_facts")
        con.execute("DROP TABLE sources")
        con.close()
    else:
        raise ValueError(kind)
    return target


DAMAGE = [
    "missing",
    "empty",
    "random_bytes",
    "truncated_third",
    "truncated_header",
    "header_then_noise",
    "flipped_blocks",
    "a_directory",
    "no_atlas_tables",
    "missing_a_table",
]
PAGES = [
    ("pages/map.py", {}),
    ("pages/map.py", {"brand": "samsung-electronics", "mineral": "cobalt"}),
    ("pages/site.py", {"site": "codmine00001"}),
    ("pages/countries.py", {}),
    ("pages/sources.py", {}),
    ("pages/brands.py", {}),
    ("pages/minerals.py", {}),
]


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_or_missing_database_says_what_to_run(kind, atlas_db, tmp_path, monkeypatch):
    """Every page either works (the damage missed what it reads) or says how to rebuild; none
    shows a traceback."""
    db = _damaged(kind, atlas_db, tmp_path / "atlas.duckdb")
    monkeypatch.setenv("RISKATLAS_DB", str(db))
    told = 0
    for page, params in PAGES:
        at = run_page(page, params)
        assert not at.exception, (kind, page, [e.value for e in at.exception])
        text = " ".join(b for _, b in markdown_bodies(at))
        if BUILD_HINT in text:
            told += 1
            assert any("not available" in e.value for e in at.error), (kind, page)
    if kind not in ("flipped_blocks", "missing_a_table"):
        assert told == len(PAGES), f"{kind}: only {told} pages said what to run"
    else:
        assert told >= 1, f"{kind}: no page noticed the damage"


# --- a missing source file ---------------------------------------------------------------------


def _raw_without(raw_dir: Path, tmp_path: Path, folder: str, filename: str) -> Path:
    """A raw directory like the mirror (symlinks) where one source folder lacks one file."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in raw_dir.iterdir():
        if p.name != folder:
            (raw / p.name).symlink_to(p)
    (raw / folder).mkdir()
    for f in (raw_dir / folder).iterdir():
        if f.name != filename:
            (raw / folder / f.name).symlink_to(f)
    return raw


@pytest.mark.parametrize(
    "name,folder,filename",
    [
        ("ipis", "ipis_drc_mine_sites", "cod_mines_curated_all_opendata_p_ipis.csv"),
        ("wgi", "world_bank_wgi", "wgidataset.csv"),
        ("icmm", "icmm_global_mining_dataset_2025", None),
    ],
)
def test_missing_source_file_names_source_and_file(raw_dir, tmp_path, name, folder, filename):
    mod = adapter(name)
    if filename is None:
        filename = mod.SOURCE.files[0]
    raw = _raw_without(raw_dir, tmp_path, folder, filename)
    with pytest.raises(SourceError) as err:
        mod.load(raw)
    assert filename in str(err.value)
    assert mod.SOURCE.source_id in str(err.value) or name in str(err.value)


def test_build_stops_at_a_missing_site_source_and_keeps_the_old_database(raw_dir, tmp_path):
    raw = _raw_without(
        raw_dir, tmp_path, "ipis_drc_mine_sites", "cod_mines_curated_all_opendata_p_ipis.csv"
    )
    out = tmp_path / "atlas.duckdb"
    out.write_bytes(b"previous")
    res = subprocess.run(
        [sys.executable, "-m", "riskatlas", "build", "--raw", str(raw), "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 2
    assert "cod_mines_curated_all_opendata_p_ipis.csv" in res.stderr
    assert "ipis" in res.stderr and "Traceback" not in res.stderr
    assert out.read_bytes() == b"previous"
    assert temp_files(out) == []
