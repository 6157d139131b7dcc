"""fetch: every source has an official address, and files arrive through a local opener only."""

from __future__ import annotations

import io
from pathlib import Path

from riskatlas import fetch
from riskatlas.sources import ADAPTERS, adapter


def test_every_source_names_its_official_address():
    for name in ADAPTERS:
        src = adapter(name).SOURCE
        if not src.folder:  # curated in this repository: nothing to download
            assert src.url.startswith("repository file"), name
            continue
        assert src.url.startswith(("https://", "http://")), name


def test_fetch_fills_raw_dir_from_local_files(tmp_path, raw_dir):
    """The opener serves the mirror's bytes for each planned address: no network is reached."""
    planned = fetch.plan()
    assert planned, "no source declares a download address"
    by_url = {url: Path(raw_dir) / folder / fname for folder, fname, url in planned}
    seen = []

    def local_opener(url):
        seen.append(url)
        return open(by_url[url], "rb")

    res = fetch.fetch(tmp_path, opener=local_opener, log=lambda m: None)
    assert not res["failed"]
    assert sorted(seen) == sorted(by_url)
    for folder, fname, _ in planned:
        assert (tmp_path / folder / fname).read_bytes() == (
            Path(raw_dir) / folder / fname
        ).read_bytes()


def test_fetch_failure_is_reported_and_leaves_no_partial_file(tmp_path):
    class Broken(io.BytesIO):
        def read(self, *a):
            raise OSError("connection reset")

    res = fetch.fetch(tmp_path, opener=lambda url: Broken(b""), log=lambda m: None)
    assert res["failed"] and not res["fetched"]
    assert not list(tmp_path.rglob("*.part"))
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_existing_files_are_skipped_unless_forced(tmp_path, raw_dir):
    folder, fname, url = fetch.plan()[0]
    target = tmp_path / folder / fname
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old")
    res = fetch.fetch(
        tmp_path, opener=lambda u: open(Path(raw_dir) / folder / fname, "rb"), log=lambda m: None
    )
    assert str(target) in res["skipped"]
    assert target.read_bytes() == b"old"
