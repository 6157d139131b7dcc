"""The page-speed bench says whether its figures come from a loaded machine (issue 17)."""

from bench.page_times import _load_words


def test_a_loaded_machine_is_named_as_such():
    assert "shared the 2 cores" in _load_words({"load_start": 11.0, "load_end": 22.2})
    assert "shared the 2 cores" in _load_words({"load_start": 0.5, "load_end": 4.0})


def test_a_quiet_run_is_not_called_loaded():
    assert _load_words({"load_start": 0.7, "load_end": 2.6}).startswith("A quiet machine")


def test_the_browser_cpu_column_is_the_median_of_the_first_visits():
    from pathlib import Path

    from bench.page_times import PageCheck, markdown

    visits = [
        {"main": 2.0, "idle": 2.5, "again": 1.0, "cpu": c, "cpu_renderer": r, "cpu_gpu": g}
        for c, r, g in ((4.0, 2.0, 1.5), (6.0, 3.0, 2.5), (5.0, 2.5, 2.0))
    ]
    page = {"check": PageCheck("Brands", "/brands", "the table"), "visits": visits, "error": None}
    text = markdown({"reps": 3, "load_start": 0.5, "load_end": 0.9, "pages": [page]}, Path("x"))
    row = next(line for line in text.splitlines() if line.startswith("| Brands"))
    assert row.endswith("| 5.0 s (2.5 / 2.0) |")
    header = next(line for line in text.splitlines() if line.startswith("| Page |"))
    assert row.count("|") == header.count("|")  # as many cells as the header


def test_a_comparison_has_a_column_group_per_checkout_in_visit_order():
    from bench.page_times import PageCheck, comparison

    def visits(main):
        return [
            {"main": m, "idle": m, "again": 1.0, "cpu": 4.0, "cpu_renderer": 2.0, "cpu_gpu": 1.0}
            for m in main
        ]

    page = {
        "check": PageCheck("Map", "/", "the map"),
        "by_app": [visits([4.0, 3.8, 4.2]), visits([3.0, 2.9, 3.1])],
    }
    text = comparison(
        {
            "apps": ["/tmp/before", "/tmp/after"],
            "reps": 3,
            "load_start": 2.0,
            "load_end": 3.0,
            "pages": [page],
        }
    )
    header = next(line for line in text.splitlines() if line.startswith("| Page |"))
    row = next(line for line in text.splitlines() if line.startswith("| Map"))
    assert header.index("`before` first visit") < header.index("`after` first visit")
    assert "| 4.00 s / 4.20 s |" in row and "| 3.00 s / 3.10 s |" in row
    assert row.count("|") == header.count("|")
