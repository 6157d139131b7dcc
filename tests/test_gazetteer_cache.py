"""The gazetteer index is cached between builds, and a first build prepares it in a second
process while the adapters run."""

from __future__ import annotations

import pickle

from riskatlas.geo import gazetteer, gazetteer_cache


def test_warm_in_background_builds_the_cache_a_later_load_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path))
    monkeypatch.setattr(gazetteer_cache.os, "cpu_count", lambda: 2)
    future = gazetteer_cache.warm_in_background()
    assert future is not None, "no cache yet: the index is prepared in a second process"
    path = future.result(timeout=300)
    assert path == str(gazetteer_cache._cache_path()) and gazetteer_cache._cache_path().is_file()
    with open(path, "rb") as f:
        index = pickle.load(f)
    assert isinstance(index, gazetteer.Gazetteer)
    assert gazetteer_cache.warm_in_background() is None  # cached now: nothing to prepare


def test_one_core_prepares_nothing_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path))
    monkeypatch.setattr(gazetteer_cache.os, "cpu_count", lambda: 1)
    assert gazetteer_cache.warm_in_background() is None
    assert not list(tmp_path.iterdir())


def test_a_damaged_cache_file_is_rebuilt_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path))
    gazetteer_cache._cache_path().write_bytes(b"not a pickle")
    gazetteer_cache.load.cache_clear()
    try:
        assert isinstance(gazetteer_cache.load(), gazetteer.Gazetteer)
        assert gazetteer_cache._cache_path().stat().st_size > 1_000_000  # replaced by a real index
    finally:
        gazetteer_cache.load.cache_clear()


def test_index_order_does_not_depend_on_string_hashing():
    """The first admin1 of a shared name key wins, so admin1 names are indexed in sorted order:
    a set's order changes with each process's string hashing, and with it the geocoding of a
    province such as 'Mexico' (state or Mexico City), making builds differ between machines."""
    keys = list(gazetteer_cache.load().admin1_name)
    assert keys == sorted(keys)


def test_old_indexes_are_pruned_but_recent_ones_of_other_checkouts_kept(tmp_path):
    import os

    paths = [tmp_path / f"gazetteer-{i:016d}.pickle" for i in range(5)]
    for i, p in enumerate(paths):
        p.write_bytes(b"x")
        os.utime(p, (1_000 + i, 1_000 + i))  # paths[4] is the newest
    gazetteer_cache._prune(paths[4], keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in paths[2:]]
