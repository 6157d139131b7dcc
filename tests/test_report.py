"""Brand exposure reports on the real atlas: cited, documented apart from inferred, offline."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from riskatlas.report import gather, render_html


class _Rows(HTMLParser):
    """Collects table rows by id, and every address the page would load."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, str] = {}
        self.loads: list[str] = []
        self._row = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and a.get("id"):
            self._row, self._text = a["id"], []
        for key in ("src", "href"):
            if a.get(key):
                self.loads.append(a[key])

    def handle_endtag(self, tag):
        if tag == "tr" and self._row:
            self.rows[self._row] = " ".join(self._text)
            self._row = None

    def handle_data(self, data):
        if self._row:
            self._text.append(data)


@pytest.fixture(scope="module")
def samsung_html(atlas):
    d = gather(atlas, "Samsung Electronics", minerals=["cobalt"])
    return d, render_html(atlas, d)


@pytest.fixture(scope="module")
def apple_html(atlas):
    d = gather(atlas, "apple", year=2022)
    return d, render_html(atlas, d)


@pytest.mark.parametrize("which", ["samsung_html", "apple_html"])
def test_every_named_site_is_cited_and_documented_apart_from_inferred(which, request):
    d, html = request.getfixturevalue(which)
    assert d.has_links
    p = _Rows()
    p.feed(html)
    doc = {k: v for k, v in p.rows.items() if k.startswith("doc-")}
    inf = {k: v for k, v in p.rows.items() if k.startswith("inf-")}
    assert doc, "no documented site rows"
    for text in {**doc, **inf}.values():
        # a citation: source id and record reference
        assert re.search(r"[a-z_0-9]+: \S", text), text[:200]
    for text in doc.values():
        assert "documented" in text and "inferred" not in text.split("documented")[0]
    for text in inf.values():
        assert "inferred" in text
    # the same site never appears as one row that is both
    assert not {k[4:] for k in doc} & {k[4:] for k in inf} or all(
        "documented" not in inf[f"inf-{k[4:]}"] for k in doc if f"inf-{k[4:]}" in inf
    )


def test_samsung_cobalt_report_names_refiners_and_inferred_drc_sources(samsung_html):
    d, html = samsung_html
    assert (d.documented["minerals"].map(lambda m: "cobalt" in list(m))).all()
    assert "Inferred source regions" in html
    assert not d.inferred.empty and "COD" in set(d.inferred["country_iso3"])


def test_html_makes_no_outside_request(samsung_html):
    _, html = samsung_html
    p = _Rows()
    p.feed(html)
    assert p.loads and all(u.startswith(("data:", "#")) for u in p.loads)
    assert 'http-equiv="Content-Security-Policy"' in html
    assert "<script" not in html.lower()


def test_footer_reproduces_the_view(samsung_html):
    d, html = samsung_html
    assert "brand=samsung-electronics" in d.app_query and "mineral=cobalt" in d.app_query
    assert d.built_at in html and d.generated_at in html


def test_brand_without_links_gives_a_short_report(atlas):
    # A brand the atlas holds, in a year it published no list (an unknown brand is refused:
    # tests/test_names.py).
    d = gather(atlas, "Apple", year=2019)
    html = render_html(atlas, d)
    assert not d.has_links
    assert 'id="no-links"' in html and "does not mean the brand has no exposure" in html


def test_cli_writes_html_and_pdf(atlas_db, tmp_path):
    from pypdf import PdfReader

    html = tmp_path / "apple.html"
    pdf = tmp_path / "samsung.pdf"
    for brand, out, extra in (
        ("Apple", html, ["--year", "2022"]),
        ("samsung-electronics", pdf, ["--mineral", "cobalt"]),
    ):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "riskatlas",
                "report",
                "--brand",
                brand,
                "--db",
                str(atlas_db),
                "--out",
                str(out),
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr
    assert "Supply-chain exposure: Apple" in html.read_text()
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Samsung" in text and "inferred" in text.lower() and "Generated" in text


def test_cli_rejects_bad_output_name(atlas_db, tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "riskatlas",
            "report",
            "--brand",
            "apple",
            "--db",
            str(atlas_db),
            "--out",
            str(tmp_path / "x.docx"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
