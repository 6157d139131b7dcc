"""Cache pickles: a damaged, truncated or foreign file reads as None; a write is all or nothing."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest

from riskatlas import pickle_file


@dataclass
class Entry:
    rows: list


def test_round_trip_and_no_temporary_file_left(tmp_path):
    path = tmp_path / "sub" / "entry.pickle"
    assert pickle_file.write(path, Entry([1, "ü"]))
    assert pickle_file.read(path, Entry) == Entry([1, "ü"])
    assert [p.name for p in path.parent.iterdir()] == ["entry.pickle"]


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps(Entry([1]))[:-5], pickle.dumps({"other": "type"})],
    ids=["empty", "garbage", "truncated", "other-type"],
)
def test_unusable_files_read_as_none(tmp_path, content):
    path = tmp_path / "entry.pickle"
    path.write_bytes(content)
    assert pickle_file.read(path, Entry) is None


def test_missing_file_reads_as_none(tmp_path):
    assert pickle_file.read(tmp_path / "absent.pickle", Entry) is None


def test_unwritable_place_returns_false_and_keeps_the_old_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory is wanted")
    assert pickle_file.write(blocker / "entry.pickle", Entry([1])) is False
    assert blocker.read_text().startswith("a file")


def test_an_unpicklable_object_leaves_the_previous_entry(tmp_path):
    path = tmp_path / "entry.pickle"
    pickle_file.write(path, Entry([1]))
    with pytest.raises((pickle.PicklingError, TypeError, AttributeError)):
        pickle_file.write(path, Entry([lambda: None]))
    assert pickle_file.read(path, Entry) == Entry([1])
    assert [p.name for p in tmp_path.iterdir()] == ["entry.pickle"]  # no temporary file left
