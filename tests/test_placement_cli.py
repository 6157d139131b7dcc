"""`python -m riskatlas placement` and `matches` on the real build: figures, lists, bad input."""

from __future__ import annotations

import csv

from riskatlas.cli import main
from riskatlas.placement import figures, unplaced


def test_figures_add_up_and_no_name_placed_point_is_outside(atlas):
    f = figures(atlas)
    assert f["brand_sites"] == f["brand_below_country"] + f["brand_country"] + f["brand_unplaced"]
    assert f["rmi_sites"] == 786
    assert f["rmi_city_or_better"] <= f["rmi_province_or_better"] <= f["rmi_sites"]
    assert f["outside_country_name_or_match"] == 0


def test_unplaced_list_has_a_reason_for_every_row(atlas):
    df = unplaced(atlas)
    f = figures(atlas)
    assert len(df) == f["brand_country"] + f["brand_unplaced"]
    assert df["reason"].str.len().gt(0).all()
    assert df["brands"].notna().all()
    # every row says why no finer rule placed it, and rows with candidates say so
    assert df["why_not_finer"].str.len().gt(0).all()
    with_candidates = df["candidates"].gt(0)
    assert df.loc[with_candidates, "why_not_finer"].str.contains("`matches`").all()
    assert df.loc[df["country_iso3"].isna(), "why_not_finer"].str.startswith("no country").all()


def test_cli_prints_figures_and_writes_csv(atlas_db, tmp_path, capsys):
    assert main(["placement", "--db", str(atlas_db)]) == 0
    out = capsys.readouterr().out
    assert "below country level" in out and "city or better" in out
    assert "by why:" in out
    target = tmp_path / "unplaced.csv"
    assert main(["placement", "--db", str(atlas_db), "--csv", str(target)]) == 0
    with open(target, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"site_id", "reason", "brands"} <= set(rows[0])


def test_matches_lists_candidates_never_merged(atlas_db, capsys):
    assert main(["matches", "--db", str(atlas_db), "--min-score", "95"]) == 0
    out = capsys.readouterr().out
    assert "candidate matches (none merged)" in out or "no ambiguous matches" in out


def test_missing_database_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["placement", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert main(["matches", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("no atlas database" in line for line in err)
