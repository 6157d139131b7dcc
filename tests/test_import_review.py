"""Issue 21: nothing enters the atlas from a browser without a maintainer's review.

A disclosure saved through the Import page is a pending submission: a rebuild has none of its
links; after `review --approve import:N` a rebuild has them, each citing the approval. Limits
refuse more pending submissions than allowed and leave nothing behind. Every decision is in one
append-only review log shared with contributions.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from riskatlas.build import build
from riskatlas.cli import main
from riskatlas.contrib import import_queue, store
from riskatlas.importer.model import ReportError
from riskatlas.ui import import_view

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "import_report.py")
SMALL = "import_small.csv"
BRAND = "Acme Phones"

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path, monkeypatch, atlas_db):
    monkeypatch.setenv("RISKATLAS_DB", str(atlas_db))
    monkeypatch.setenv("RISKATLAS_IMPORTS", str(tmp_path / "imports"))
    monkeypatch.setenv("RISKATLAS_SUBMISSIONS", str(tmp_path / "submissions"))
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _links(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT l.source_ref, l.approved_by FROM links l JOIN brands b USING (brand_id) "
            "WHERE b.name = $b",
            {"b": BRAND},
        ).fetchall()
    except duckdb.BinderException:  # no approved import yet: the column does not exist
        return con.execute(
            "SELECT l.source_ref, NULL FROM links l JOIN brands b USING (brand_id) "
            "WHERE b.name = $b",
            {"b": BRAND},
        ).fetchall()
    finally:
        con.close()


def test_a_saved_import_enters_the_atlas_only_after_approval(env, fixtures_dir, raw_dir, capsys):
    data = (fixtures_dir / SMALL).read_bytes()
    out = import_view.run_import(data, SMALL, BRAND, "2024")
    assert out.error is None
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state[import_view.RESULT_KEY] = out.result
    at.session_state[import_view.UPLOAD_KEY] = {
        "data": data,
        "file_name": SMALL,
        "brand": BRAND,
        "year": 2024,
    }
    at.run()
    at.button(key="import_save").click().run()
    assert not at.exception and "Submitted for review as import 1" in at.success[0].value

    before = env / "before.duckdb"
    build(raw=raw_dir, out=before, progress=lambda m: None)
    assert _links(before) == [], "an unreviewed import must not reach the atlas"

    assert main(["review"]) == 0
    listing = capsys.readouterr().out
    assert "#import:1  [pending]" in listing and "8 read, 1 rejected" in listing
    assert main(["review", "--approve", "import:1", "--by", "A. Maintainer", "--note", "ok"]) == 0
    assert "import 1 approved by A. Maintainer" in capsys.readouterr().out

    after = env / "after.duckdb"
    build(raw=raw_dir, out=after, progress=lambda m: None)
    links = _links(after)
    assert len(links) == 7
    assert all("; import 1 approved by A. Maintainer on " in ref for ref, _ in links)
    assert {by for _, by in links} == {"A. Maintainer"}


def test_limits_refuse_and_leave_nothing_behind(env, fixtures_dir, monkeypatch):
    monkeypatch.setenv("RISKATLAS_PENDING_PER_CLIENT", "2")
    monkeypatch.setenv("RISKATLAS_PENDING_TOTAL", "3")
    base = (fixtures_dir / SMALL).read_bytes()

    def submit(i: int, client: str):
        data = base + f"Tin,Extra {i},CID000292,USA,\n".encode()
        return import_queue.submit_import(data, f"list{i}.csv", BRAND, 2024, client=client)

    submit(1, "10.0.0.1")
    submit(2, "10.0.0.1")
    with pytest.raises(import_queue.LimitReached, match="already has 2 import"):
        submit(3, "10.0.0.1")
    submit(4, "10.0.0.2")
    with pytest.raises(import_queue.LimitReached, match="3 imports are already waiting"):
        submit(5, "10.0.0.3")
    monkeypatch.setenv("RISKATLAS_PENDING_TOTAL", "100")
    monkeypatch.setenv("RISKATLAS_PENDING_MB", "0")
    with pytest.raises(import_queue.LimitReached, match="more than 0 MB"):
        submit(6, "10.0.0.4")
    # what failed left no file and no row
    files = sorted(p.name for p in (env / "submissions").iterdir())
    assert len(files) == 3 and not any(n.endswith(".tmp") for n in files)
    assert len(import_queue.list_submissions("pending")) == 3
    # a file that fails validation leaves nothing either
    with pytest.raises(ReportError, match="no smelter"):
        import_queue.submit_import(b"<html><p>prose</p></html>", "x.html", BRAND, 2024)
    with pytest.raises(ReportError, match="empty"):
        import_queue.submit_import(b"", "y.csv", BRAND, 2024)
    assert len(list((env / "submissions").iterdir())) == 3


def test_one_append_only_review_log_for_both_kinds(env, fixtures_dir):
    data = (fixtures_dir / SMALL).read_bytes()
    sub = import_queue.submit_import(data, SMALL, BRAND, 2024, submitted_by="Desk")
    import_queue.review_import(sub.submission_id, "rejected", "M1", "not the brand's own list")
    assert not (env / "submissions" / sub.stored.name).exists()  # the rejected file is gone
    with pytest.raises(store.StoreError, match="--force"):
        import_queue.review_import(sub.submission_id, "approved", "M2", None)
    with pytest.raises(store.StoreError, match="no longer in"):
        import_queue.review_import(sub.submission_id, "approved", "M2", None, force=True)
    con = duckdb.connect(str(env / "contributions.duckdb"), read_only=True)
    try:
        log = con.execute("SELECT kind, item_id, status, previous_status, reviewed_by, "
                          "review_note FROM review_log").fetchall()  # fmt: skip
    finally:
        con.close()
    assert log == [("import", sub.submission_id, "rejected", "pending", "M1",
                    "not the brand's own list")]  # fmt: skip


def test_every_setting_is_documented():
    from riskatlas import settings
    from riskatlas.paths import REPO_ROOT

    text = (REPO_ROOT / "docs" / "deploy-settings.md").read_text(encoding="utf-8")
    missing = [s.env for s in settings.ALL if f"`{s.env}`" not in text]
    assert not missing, f"settings not named in docs/deploy-settings.md: {missing}"
