"""Issue #16's layouts, on small documents written for it (tests/fixtures/importer_layout_*).

The fixtures are made by tests/fixtures/make_importer_layouts.py (HTML written by hand, PDFs
printed from it with chromium) and name real RMI smelters, so resolution runs against RMI's
real list. Each has an oracle CSV: every smelter row the document lists and its true RMI id.
A reader must find exactly those rows (precision and recall 1.00) and give no row an id
other than its true one.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from riskatlas.importer import ReportError, import_report
from riskatlas.importer.rmi_match import NAME_THRESHOLD
from tests.fixtures import make_importer_layouts as layouts

CASES = {
    "prose_appendix.pdf": "prose_appendix",
    "plaintext.pdf": "plaintext",
    "plaintext.html": "plaintext",
    "headings.html": "headings",
    "headings.pdf": "headings",
    "names.html": "names",
    # Beyond the issue: no ruling (continued columns found by white space); plain-text lists
    # without a metal column under metal headings, one running over a page break.
    "headings_unruled.pdf": "headings_unruled",
    "plaintext_headed.pdf": "plaintext_headed",
    "plaintext_headed.html": "plaintext_headed",
}


def _key(metal: object, name: object) -> tuple[str, str]:
    return str(metal).lower(), " ".join(str(name).split())


def _oracle(fixtures_dir, layout: str) -> pd.DataFrame:
    return pd.read_csv(
        fixtures_dir / f"importer_layout_{layout}_oracle.csv", dtype=str, keep_default_na=False
    )


@pytest.fixture(scope="module")
def results(fixtures_dir):
    return {
        doc: import_report(fixtures_dir / f"importer_layout_{doc}", "Example", 2025)
        for doc in CASES
    }


@pytest.mark.parametrize("doc", sorted(CASES))
def test_layout_reads_exactly_the_listed_smelters(results, fixtures_dir, doc):
    rows = results[doc].rows
    oracle = _oracle(fixtures_dir, CASES[doc])
    got = {_key(m, n): (sid, by) for m, n, sid, by in
           zip(rows["metal"], rows["smelter_name"], rows["smelter_id"], rows["resolved_by"],
               strict=True)}  # fmt: skip
    want = {_key(m, n): t for m, n, t in
            zip(oracle["metal"], oracle["smelter_name"], oracle["true_smelter_id"],
                strict=True)}  # fmt: skip
    found = set(got) & set(want)
    precision, recall = len(found) / len(got), len(found) / len(want)
    invented = [k for k in found if isinstance(got[k][0], str) and got[k][0] != want[k]]
    print(f"{doc}: {len(rows)} rows, precision {precision:.2f}, recall {recall:.2f}, "
          f"{len(invented)} invented ids")  # fmt: skip
    assert len(got) == len(rows)  # no row listed twice
    assert (precision, recall) == (1.0, 1.0), (set(got) - set(want), set(want) - set(got))
    assert invented == []
    # Rows that print an id are resolved by it; the others by name, or not at all.
    printed = dict(zip(map(_key, oracle["metal"], oracle["smelter_name"]), oracle["printed_id"],
                       strict=True))  # fmt: skip
    for k, (sid, by) in got.items():
        if printed[k]:
            assert (by, sid) == ("id", printed[k])
        else:
            assert by in ("name", "unresolved")


@pytest.mark.parametrize("doc", ["headings.html", "headings.pdf", "headings_unruled.pdf"])
def test_heading_metal_and_headerless_continuations(results, doc):
    rows = results[doc].rows
    # Every list continues over page breaks in tables without a header row.
    assert rows["metal_from"].eq("section").all()
    assert rows.groupby("metal").size().to_dict() == {
        m.lower(): len(v) for m, v in layouts.HEADED.items()
    }
    assert rows["resolved_by"].eq("name").all()


def test_plain_text_wrapped_name_joins_its_row(results):
    for doc in ("plaintext.pdf", "plaintext.html"):
        rows = results[doc].rows.set_index("id_as_reported")
        assert rows.at["CID002815", "smelter_name"] == (
            "South-East Nonferrous Metal Company Limited of Hengyang City"
        )
        assert rows.at["CID001761", "country"] == "TAIWAN, PROVINCE OF CHINA"


def test_names_resolve_by_convention_site_alias_and_rename(results, fixtures_dir):
    rows = results["names.html"].rows.set_index("smelter_name")
    oracle = _oracle(fixtures_dir, "names").set_index("smelter_name")
    for name, o in oracle.iterrows():
        row = rows.loc[name]
        if o["expect"] == "resolve":
            assert (row["resolved_by"], row["smelter_id"]) == ("name", o["true_smelter_id"]), name
            assert row["match_score"] >= NAME_THRESHOLD
        else:  # not recorded as a rename: the candidate is shown, no id is given
            assert row["resolved_by"] == "unresolved" and pd.isna(row["smelter_id"])
            assert row["candidate_id"] == o["true_smelter_id"]
            assert row["match_score"] < NAME_THRESHOLD
    basis = rows["match_basis"]
    assert "place 'Hamburg' after the name left out" in basis["Aurubis AG, Hamburg"]
    assert "site 'Ronnskar'" in basis["Boliden Mineral AB (Ronnskar)"]
    assert "rmi_retired_smelter_ids" in basis["Liuzhou China Tin"]
    assert basis["Heraeus Metals Hong Kong Ltd."].startswith("name + country")


def test_prose_lines_are_rejected_with_reason_and_page(results):
    result = results["prose_appendix.pdf"]
    rejected = result.rejected_frame()
    assert len(rejected) == result.summary["rejected"] > 0
    assert rejected["reason"].str.startswith("not a smelter row").all()
    assert rejected["ref"].str.fullmatch(r"page \d+").all()
    # The smelter list has a page of its own; the prose pages give only rejected lines.
    (table_page,) = set(result.rows["ref"])
    assert len(set(rejected["ref"]) - {table_page}) >= 5
    assert not rejected["smelter_name"].isin(result.rows["smelter_name"]).any()


def test_two_column_prose_pdf_yields_no_rows_and_says_why(fixtures_dir):
    with pytest.raises(ReportError) as err:
        import_report(fixtures_dir / "importer_layout_prose_only.pdf", "Example", 2025)
    message = str(err.value)
    assert message.startswith("no smelter rows in importer_layout_prose_only.pdf (pdf)")
    assert "prose or fragments, not a smelter list" in message


def test_cli_counts_and_writes_rejected_lines(fixtures_dir, tmp_path):
    out, rej = tmp_path / "rows.csv", tmp_path / "rejected.csv"
    doc = fixtures_dir / "importer_layout_prose_appendix.pdf"
    cmd = [sys.executable, "-m", "riskatlas", "import-report", str(doc), "--brand", "Example",
           "--out", str(out), "--rejected", str(rej)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rejected = pd.read_csv(rej)
    assert len(pd.read_csv(out)) == 14
    assert f"rejected:         {len(rejected)} line(s)" in done.stdout
    assert list(rejected.columns[:2]) == ["ref", "reason"] and len(rejected) > 0

    prose = fixtures_dir / "importer_layout_prose_only.pdf"
    done = subprocess.run(cmd[:4] + [str(prose), "--brand", "Example"], capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no smelter rows" in done.stderr
    assert "Traceback" not in done.stderr


def test_oracles_are_the_generators(fixtures_dir):
    """The committed oracles are what the generator writes (nobody edited one by hand)."""
    for name, (make, _) in layouts.LAYOUTS.items():
        _, oracle = make()
        got = _oracle(fixtures_dir, name)
        assert got.to_dict("records") == [{k: str(v) for k, v in r.items()} for r in oracle]
