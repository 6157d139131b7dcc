"""The page-speed bench says whether its figures come from a loaded machine (issue 17)."""

from bench.page_times import _load_words


def test_a_loaded_machine_is_named_as_such():
    assert "shared the 2 cores" in _load_words({"load_start": 11.0, "load_end": 22.2})
    assert "shared the 2 cores" in _load_words({"load_start": 0.5, "load_end": 4.0})


def test_a_quiet_run_is_not_called_loaded():
    assert _load_words({"load_start": 0.7, "load_end": 2.6}).startswith("A quiet machine")
