"""kill -9 during a build, at random moments: the previous database still opens and serves, and
the next build still works (`python -m bench.faults`, 10 trials by default).

Each trial starts `python -m riskatlas build --out OUT` over a copy of a good atlas, sends SIGKILL
after a random delay (0.5 s .. the measured build time, or once the build's temporary file
appears), then checks OUT byte for byte, opens it as the app does (read-only, external access
off), counts sites and runs the Map's query. At the end a full build runs in the same folder,
beside whatever temporary files the kills left.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.common import REPO


def build_cmd(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "riskatlas", "build", "--raw", str(raw), "--out", str(out)]


def temp_files(out: Path) -> list[Path]:
    """Files the build writes beside OUT before renaming (`.atlas.duckdb.<pid>.tmp`, its WAL)."""
    return sorted(out.parent.glob(f".{out.name}.*.tmp*"))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def serves(db: Path) -> dict:
    """Open the database as the app does and run the Map's query; counts, or the error."""
    from riskatlas import sql

    try:
        con = duckdb.connect(str(db), read_only=True, config={"enable_external_access": False})
    except duckdb.Error as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    try:
        sites = sql.execute(con, "sites_count").fetchone()[0]
        built = sql.execute(con, "built_at").fetchone()
        cobalt = sql.run(
            con,
            "sites_filtered",
            {"minerals": ["cobalt"], "tiers": [], "countries": [], "year": None},
        )
        return {
            "ok": True,
            "sites": int(sites),
            "cobalt_sites": len(cobalt),
            "built_at": built[0] if built else None,
        }
    except duckdb.Error as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        con.close()


def full_build(raw: Path, out: Path, timeout: float = 600.0) -> dict:
    """One complete build into OUT: its time, when its temporary database appeared (the start
    of the write phase), and its exit code."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        build_cmd(raw, out), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    tmp = out.with_name(f".{out.name}.{proc.pid}.tmp")
    temp_at = None
    while proc.poll() is None and time.monotonic() - t0 < timeout:
        if temp_at is None and tmp.exists():
            temp_at = time.monotonic() - t0
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    _, err = proc.communicate()
    return {
        "seconds": time.monotonic() - t0,
        "temp_at_s": temp_at,
        "returncode": proc.returncode,
        "stderr_tail": err.strip().splitlines()[-2:],
    }


def kill_trial(
    raw: Path,
    out: Path,
    delay: float | None = None,
    after_temp: float | None = None,
    timeout: float = 600.0,
) -> dict:
    """Start a build into OUT and SIGKILL it after ``delay`` seconds, or ``after_temp`` seconds
    after its temporary database appears (the write phase). Returns what happened."""
    before = sha256(out)
    proc = subprocess.Popen(
        build_cmd(raw, out), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    tmp = out.with_name(f".{out.name}.{proc.pid}.tmp")
    t0 = time.monotonic()
    if after_temp is not None:
        while not tmp.exists() and proc.poll() is None and time.monotonic() - t0 < timeout:
            time.sleep(0.05)
        time.sleep(after_temp)
    else:
        time.sleep(delay or 0.0)
    in_write_phase = tmp.exists()
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = serves(out)
    unchanged = sha256(out) == before
    if unchanged:
        phase = "write" if in_write_phase else "sources"
    else:  # the build had renamed its new database into place before the kill landed
        phase = "finished"
    return {
        "at_s": round(time.monotonic() - t0, 2),
        "killed": killed,
        "phase": phase,
        "returncode": proc.returncode,
        "unchanged": unchanged,
        "serves": after,
        # OUT is the previous database, byte for byte, or a complete new one (the build's
        # last table, build_info, is in it); either way it opens and answers the Map's query
        "ok": bool(after.get("ok")) and after["sites"] > 0 and (unchanged or after["built_at"]),
        "temp_files": {p.name: p.stat().st_size for p in temp_files(out)},
    }


def run(
    raw: Path, good: Path, trials: int = 10, seed: int = 7, workdir: Path | None = None
) -> dict:
    """``trials`` kills over a copy of ``good``, then one full build. Seven in ten kills land at
    a random moment of the whole build, the others at a random moment of its write phase (the
    shorter, riskier part, which uniform draws rarely hit)."""
    rng = random.Random(seed)
    work = Path(workdir or tempfile.mkdtemp(prefix="riskatlas-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "atlas.duckdb"
    shutil.copyfile(good, out)
    reference = serves(out)
    timing = full_build(raw, work / "timing.duckdb")  # how long a build takes here, now
    (work / "timing.duckdb").unlink(missing_ok=True)
    duration = timing["seconds"]
    write_phase = duration - (timing["temp_at_s"] or duration * 0.7)
    results = []
    for i in range(trials):
        if i % 10 < 7:
            delay = rng.uniform(0.5, max(0.6, 0.95 * duration))
            results.append({"delay_s": round(delay, 2), **kill_trial(raw, out, delay=delay)})
        else:
            after = rng.uniform(0.0, 0.9 * write_phase)
            results.append(
                {"after_temp_s": round(after, 2), **kill_trial(raw, out, after_temp=after)}
            )
    left = {p.name: p.stat().st_size for p in temp_files(out)}
    final = full_build(raw, out)
    return {
        "build_seconds": duration,
        "write_phase_seconds": write_phase,
        "reference": reference,
        "trials": results,
        "temp_files_after_trials": left,
        "next_build": final,
        "next_build_serves": serves(out),
        "temp_files_after_next_build": {p.name: p.stat().st_size for p in temp_files(out)},
        "workdir": str(work),
    }


def main(argv: list[str] | None = None) -> int:
    from riskatlas.paths import db_path, raw_dir

    p = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    p.add_argument("--raw", help="raw directory (default: $RISKATLAS_RAW or ../shared/data)")
    p.add_argument("--db", help="a good atlas to start from (default: data/atlas.duckdb)")
    p.add_argument("--trials", type=int, default=10)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args(argv)
    good = db_path(args.db)
    if not good.is_file():
        print(f"no atlas database at {good}: run `python -m riskatlas build`", file=sys.stderr)
        return 2
    res = run(raw_dir(args.raw), good, args.trials, args.seed)
    ref = res["reference"]
    print(
        f"build takes {res['build_seconds']:.1f} s, the last {res['write_phase_seconds']:.1f} s "
        f"writing; previous database: {ref}"
    )
    bad = 0
    for i, t in enumerate(res["trials"], 1):
        bad += not t["ok"]
        print(
            f"trial {i:2d}: kill at {t['at_s']:5.1f} s ({t['phase']:8s} phase, "
            f"killed={t['killed']}): database unchanged={t['unchanged']}, "
            f"serves={t['serves']}, temp files={len(t['temp_files'])}, ok={t['ok']}"
        )
    nb = res["next_build"]
    print(
        f"temp files left by the kills: {res['temp_files_after_trials']}\n"
        f"next build: exit {nb['returncode']} in {nb['seconds']:.1f} s; serves "
        f"{res['next_build_serves']}; temp files after it: {res['temp_files_after_next_build']}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(res["workdir"], ignore_errors=True)
    failed = bad or nb["returncode"] != 0 or not res["next_build_serves"].get("ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
