"""A synthetic atlas is made once and reused by the next run (the 10 M one takes many minutes):
kept in the cache directory under a name keyed by the real atlas's content and the generator's
code, so a change to either makes a new one and never reuses a stale file."""

from __future__ import annotations

import pytest

from bench import cache

pytestmark = pytest.mark.slow


def test_a_second_run_reuses_the_synthetic_atlas(atlas_db, tmp_path, monkeypatch):
    key = cache.fingerprint(atlas_db)
    made_path, made = cache.synthetic_db(atlas_db, key, 500, tmp_path)
    assert made is not None and made_path.is_file()
    assert key in made_path.name and cache._generator_hash() in made_path.name
    again, seconds = cache.synthetic_db(atlas_db, key, 500, tmp_path)
    assert again == made_path and seconds is None  # reused, not made again
    assert not list(tmp_path.glob("*.tmp.duckdb"))  # only finished files are kept

    # another generator (its code or SQL changed) never reads the old file
    monkeypatch.setattr(cache, "_generator_hash", lambda: "changed0")
    other = tmp_path / f"syn_500_{key}_changed0.duckdb"
    assert not other.exists()
    path, _ = cache.synthetic_db(atlas_db, key, 500, tmp_path)
    assert path == other and path.is_file()


def test_the_generator_key_covers_its_sql(tmp_path, monkeypatch):
    """The derived tables' SQL and schema are part of the key (a new derived table, such as
    brand_rows, must not be missing from a reused atlas)."""
    import shutil

    from riskatlas import sql

    original = cache._generator_hash()
    copy = tmp_path / "queries"
    shutil.copytree(sql.QUERIES, copy)
    monkeypatch.setattr(sql, "QUERIES", copy)
    assert cache._generator_hash() == original
    for name in ("schema_derived.sql", "derive_brand_rows.sql", "bench_synthetic_sites.sql"):
        target = copy / name
        target.write_text(target.read_text(encoding="utf-8") + "\n-- changed\n", "utf-8")
        changed = cache._generator_hash()
        assert changed != original, name
        original = changed
