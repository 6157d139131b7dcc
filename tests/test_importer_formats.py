"""Layouts beyond the shared examples: RMI templates, CSV, HTML continuations, multi-page PDFs.

Fixtures are built here, in tmp_path, from real data: the layout and headers of the mirror's
RMI_CMRT_6.5.xlsx and real smelters from RMI's list, so nothing is copied into the repo.
"""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from riskatlas.importer import ReportError, import_report
from riskatlas.importer.columns import classify_header, metal_in_heading
from riskatlas.importer.detect import detect_format

RMI = "rmi_smelter_reference_list"
CMRT = "RMI_CMRT_6.5.xlsx"


@pytest.fixture(scope="module")
def reference(raw_dir) -> pd.DataFrame:
    return pd.read_csv(raw_dir / RMI / "rmi_smelter_facilities_latest.csv", dtype=str)


# ---- RMI template ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cmrt_layout(raw_dir):
    """Sheet names, rows 1-4 of 'Smelter List', the English row-4 headers and look-up rows."""
    wb = openpyxl.load_workbook(raw_dir / RMI / "originals" / CMRT, read_only=True, data_only=True)
    try:
        names = list(wb.sheetnames)
        top = [
            list(r) for r in wb["Smelter List"].iter_rows(min_row=1, max_row=4, values_only=True)
        ]
        english = {}
        for row in wb["L"].iter_rows(values_only=True):
            key = row[0]
            if isinstance(key, str) and re.fullmatch(r"Smelter List[A-Z]+4", key):
                english[key[len("Smelter List") : -1]] = row[3]
        lookup = [
            r[:9]
            for r in wb["Smelter Look-up"].iter_rows(min_row=5, values_only=True)
            if r[4] and str(r[4]).startswith("CID") and r[1] == r[2]
        ]
    finally:
        wb.close()
    return names, top, english, lookup


def _col(letter: str) -> int:
    return openpyxl.utils.column_index_from_string(letter) - 1


def make_filled_cmrt(path, layout, language: str):
    """A filled CMRT: ids typed in column A, look-up names chosen, and 'Smelter not listed' rows.

    Returns the expected (metal, smelter_id or None) per data row.
    """
    names, top, english, lookup = layout
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n in names:
        wb.create_sheet(n)
    ws = wb["Smelter List"]
    header = list(top[3])
    if language == "en":
        for letter, text in english.items():
            header[_col(letter)] = text
    for r, row in enumerate([*top[:3], header], 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    # RMI's own list in 'Smelter Look-up' must never be read as the filer's smelters.
    for r, row in enumerate(lookup[:50], 5):
        for c, v in enumerate(row, 1):
            wb["Smelter Look-up"].cell(r, c, v)
    by_metal: dict[str, list] = {}
    for row in lookup:
        by_metal.setdefault(row[0], []).append(row)
    expected = []
    r = 5
    for metal in ("Gold", "Tin", "Tantalum", "Tungsten"):
        picks = by_metal[metal][:6]
        for k, (m, alias, std, country, sid, src, _street, city, state) in enumerate(picks):
            values = {"B": m, "C": alias, "E": country, "F": sid, "G": src, "I": city, "J": state}
            values.update({"R": std, "S": "X", "X": 0, "AB": f"{m}{alias}"})
            if k < 2:  # option A: the id typed in column A, the rest filled in by the template
                values["A"] = sid
            elif k >= 4:  # option C: not in the look-up, name and country typed by hand
                values = {"B": m, "C": "Smelter not listed", "D": std.upper(), "E": country}
                values.update(
                    {"G": "Enter smelter details", "X": 1, "AB": f"{m}Smelter not listed"}
                )
            for letter, v in values.items():
                ws.cell(r, _col(letter) + 1, v)
            expected.append((m.lower(), sid, "id" if k < 4 else "name"))
            r += 1
    ws.cell(r, _col("B") + 1, "Gold")
    ws.cell(r, _col("C") + 1, "Smelter not listed")
    ws.cell(r, _col("D") + 1, "Nowhere Metal Recovery Works")
    ws.cell(r, _col("E") + 1, "FRANCE")
    expected.append(("gold", None, "unresolved"))
    wb.save(path)
    return expected


@pytest.mark.parametrize("language", ["en", "zh"])
def test_filled_rmi_template(tmp_path, cmrt_layout, language):
    path = tmp_path / f"cmrt_filled_{language}.xlsx"
    expected = make_filled_cmrt(path, cmrt_layout, language)
    assert detect_format(path) == "xlsx"
    result = import_report(path, "Example Corp.", 2025)
    rows = result.rows
    assert result.format == "xlsx"
    assert len(rows) == len(expected) == 25
    assert list(rows["metal"]) == [m for m, _, _ in expected]
    assert list(rows["resolved_by"]) == [b for _, _, b in expected]
    got = [None if pd.isna(s) else s for s in rows["smelter_id"]]
    assert got == [s if b != "unresolved" else None for _, s, b in expected]
    assert rows["ref"].str.fullmatch(r"sheet 'Smelter List', row \d+").all()
    assert rows.iloc[0]["ref"] == "sheet 'Smelter List', row 5"
    # Names come from the filer's columns, never the helper flags (0/1) of hidden columns.
    assert rows["smelter_name"].notna().all() and not rows["smelter_name"].isin(["0", "1"]).any()


def test_template_without_smelter_list_sheet_is_an_error(tmp_path, cmrt_layout):
    wb = openpyxl.Workbook()
    wb.active.title = "Declaration"
    wb.create_sheet("Smelter Look-up").append(
        ["Gold", "Agosi AG", "Agosi AG", "GERMANY", "CID000035"]
    )
    wb.save(tmp_path / "no_list.xlsx")
    with pytest.raises(ReportError, match="no 'Smelter List' sheet"):
        import_report(tmp_path / "no_list.xlsx", "X")


def test_plain_workbook_any_sheet_any_row(tmp_path, reference):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["This workbook lists the smelters reported by our suppliers."])
    ws = wb.create_sheet("Suppliers 2024")
    ws.append(["Supplier smelter list, calendar year 2024"])
    ws.append([])
    ws.append(["Country", "Refinery", "Mineral", "RMI ID"])
    sample = reference[reference["metal"] == "Cobalt"].head(5)
    for r in sample.itertuples():
        ws.append([r.country, r.standard_smelter_name, r.metal, r.smelter_id])
    wb.save(tmp_path / "plain.xlsx")
    rows = import_report(tmp_path / "plain.xlsx", "X").rows
    assert list(rows["smelter_id"]) == list(sample["smelter_id"])
    assert (rows["metal"] == "cobalt").all()
    assert rows.iloc[0]["ref"] == "sheet 'Suppliers 2024', row 4"


# ---- CSV --------------------------------------------------------------------------------------


def test_csv_title_line_bom_and_odd_column_order(tmp_path, reference):
    sample = reference[reference["metal"] == "Tungsten"].head(6)
    lines = ["Example Corp. smelter list 2025,,,", "RMI ID;Country of smelter;Refiner;Mineral"]
    lines = ["Example Corp. smelter list 2025", "RMI ID;Country of smelter;Refiner;Mineral"]
    for r in sample.itertuples():
        lines.append(f"{r.smelter_id};{r.country};{r.standard_smelter_name};W")
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    rows = import_report(path, "X").rows
    assert list(rows["smelter_id"]) == list(sample["smelter_id"])
    assert (rows["metal"] == "tungsten").all()  # 'W', the element symbol
    assert list(rows["ref"]) == [f"row {i}" for i in range(3, 9)]


def test_csv_id_column_found_by_its_values_without_header(tmp_path, reference):
    sample = reference[reference["metal"] == "Tin"].head(5)
    rows = ["Metal,Smelter,"] + [
        f"Tin,{r.standard_smelter_name.replace(',', '')},{r.smelter_id}"
        for r in sample.itertuples()
    ]
    path = tmp_path / "noheader.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    out = import_report(path, "X").rows
    assert list(out["smelter_id"]) == list(sample["smelter_id"])
    assert (out["resolved_by"] == "id").all()


def test_csv_with_wrong_columns_is_an_error(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("date,amount,invoice\n2025-01-02,12.5,A-1\n2025-01-03,7,A-2\n")
    with pytest.raises(ReportError, match="no smelter table found"):
        import_report(path, "X")


# ---- HTML -------------------------------------------------------------------------------------


def test_html_continuation_tables_rowspans_headings_and_label_rows(tmp_path, reference):
    gold = reference[reference["metal"] == "Gold"].head(6).reset_index(drop=True)
    tin = reference[reference["metal"] == "Tin"].head(3).reset_index(drop=True)

    def tr(*cells):
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    html = f"""<html><body>
    <table><tr><td>Layout table</td><td>not smelters</td></tr></table>
    <p>Gold refiners</p>
    <table>
      <tr><th colspan="2">Smelter Name</th><th>Smelter ID</th><th>Country</th></tr>
      <tr><td colspan="2">{gold.at[0, "standard_smelter_name"]}</td><td>{gold.at[0, "smelter_id"]}</td><td>{gold.at[0, "country"]}</td></tr>
      <tr><td colspan="2">{gold.at[1, "standard_smelter_name"]}</td><td>{gold.at[1, "smelter_id"]}</td><td>{gold.at[1, "country"]}</td></tr>
    </table>
    <p>Page 7</p>
    <table>
      {tr(gold.at[2, "standard_smelter_name"], "", gold.at[2, "smelter_id"], gold.at[2, "country"])}
      {tr(gold.at[3, "standard_smelter_name"], "", gold.at[3, "smelter_id"], gold.at[3, "country"])}
    </table>
    <table>
      <tr><th>Metal</th><th>Facility</th><th>Location</th></tr>
      <tr><td rowspan="2">Gold</td><td>{gold.at[4, "standard_smelter_name"]}</td><td>{gold.at[4, "country"]}</td></tr>
      <tr><td>{gold.at[5, "standard_smelter_name"]}</td><td>{gold.at[5, "country"]}</td></tr>
      <tr><td colspan="3">Tin</td></tr>
      <tr><td></td><td>{tin.at[0, "standard_smelter_name"]}</td><td>{tin.at[0, "country"]}</td></tr>
      <tr><td></td><td>{tin.at[1, "standard_smelter_name"]}</td><td>{tin.at[1, "country"]}</td></tr>
      <tr><td colspan="3">* Smelters in bold take part in the RMAP.</td></tr>
    </table></body></html>"""
    path = tmp_path / "report.txt"  # the content, not the name, says HTML
    path.write_text(html, encoding="utf-8")
    assert detect_format(path) == "html"
    rows = import_report(path, "X").rows
    assert list(rows["smelter_id"]) == [*gold["smelter_id"], *tin["smelter_id"][:2]]
    assert list(rows["resolved_by"]) == ["id"] * 4 + ["name"] * 4
    assert list(rows["metal"]) == ["gold"] * 6 + ["tin"] * 2
    assert list(rows["metal_from"][:4]) == ["section"] * 4  # from the heading "Gold refiners"
    assert list(rows["ref"][:3]) == ["table 2, row 2", "table 2, row 3", "table 3, row 1"]


def test_html_caption_gives_the_metal_and_ids_inside_name_cells(tmp_path, reference):
    ta = reference[reference["metal"] == "Tantalum"].head(4)
    body = "".join(
        f"<tr><td>{r.standard_smelter_name} ({r.smelter_id})</td><td>{r.country}</td></tr>"
        for r in ta.itertuples()
    )
    path = tmp_path / "cmr.htm"
    path.write_text(
        "<table><caption>Table 2. Tantalum smelters</caption>"
        f"<tr><th>Smelter or refiner</th><th>Country</th></tr>{body}</table>"
    )
    rows = import_report(path, "X").rows
    assert list(rows["smelter_id"]) == list(ta["smelter_id"])
    assert list(rows["smelter_name"]) == list(ta["standard_smelter_name"])
    assert (rows["metal"] == "tantalum").all() and (rows["resolved_by"] == "id").all()
    assert (rows["section"] == "Table 2. Tantalum smelters").all()


def test_html_page_without_tables_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><p>We support responsible sourcing.</p></body></html>")
    with pytest.raises(ReportError, match="no smelter table found.*no table found"):
        import_report(path, "X")


# ---- PDF ----------------------------------------------------------------------------------------


def make_report_pdf(path, reference):
    """A 3-page report: a tin table whose header is only on page 1, then a numbered gold table.

    Section titles give the metal; there are no ids; one tin name wraps onto a second line.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    tin = list(reference[reference["metal"] == "Tin"].head(30).itertuples())
    gold = list(reference[reference["metal"] == "Gold"].head(40).itertuples())
    w, h = 8.27, 11.69

    def page(pdf, items):
        fig = plt.figure(figsize=(w, h))
        for x, y, s, bold in items:
            fig.text(x / w, 1 - y / h, s, fontsize=7, weight="bold" if bold else "normal", va="top")
        pdf.savefig(fig)
        plt.close(fig)

    expected = []
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        items = [(0.8, 0.6, "Example Corp. Responsible Minerals Report 2025", True)]
        items += [(0.8, 1.4, "Tin (Sn) smelters", True), (0.8, 1.7, "Smelter Name", True)]
        items += [(5.2, 1.7, "Country", True), (7.0, 1.7, "RMAP Status", True)]
        y = 2.0
        for i, r in enumerate(tin[:20]):
            name = r.standard_smelter_name
            if i == 3:  # a name wrapped onto two lines
                a, b = name.rsplit(" ", 1)
                items += [(0.8, y, a, False), (0.8, y + 0.12, b, False)]
            else:
                items.append((0.8, y, name, False))
            items += [(5.2, y, r.country.title(), False), (7.0, y, "Conformant", False)]
            y += 0.34 if i == 3 else 0.22
            expected.append(("tin", r.smelter_id, name, "page 1"))
        items.append((4.0, 11.2, "1", False))
        page(pdf, items)
        items, y = [], 0.8
        for r in tin[20:]:
            items += [(0.8, y, r.standard_smelter_name, False), (5.2, y, r.country.title(), False)]
            items.append((7.0, y, "Active", False))
            expected.append(("tin", r.smelter_id, r.standard_smelter_name, "page 2"))
            y += 0.22
        y += 0.4
        items += [(0.8, y, "Gold (Au) refiners", True)]
        y += 0.3
        items += [(0.8, y, "No.", True), (1.3, y, "Refiner", True), (5.2, y, "Country", True)]
        y += 0.3
        for i, r in enumerate(gold[:15], 1):
            items += [(0.8, y, str(i), False), (1.3, y, r.standard_smelter_name, False)]
            items.append((5.2, y, r.country.title(), False))
            expected.append(("gold", r.smelter_id, r.standard_smelter_name, "page 2"))
            y += 0.22
        items.append((4.0, 11.2, "2", False))
        page(pdf, items)
        items, y = [], 0.8
        for i, r in enumerate(gold[15:], 16):
            items += [(0.8, y, str(i), False), (1.3, y, r.standard_smelter_name, False)]
            items.append((5.2, y, r.country.title(), False))
            expected.append(("gold", r.smelter_id, r.standard_smelter_name, "page 3"))
            y += 0.22
        items.append((4.0, 11.2, "3", False))
        page(pdf, items)
    return expected


def test_pdf_header_on_first_page_only_and_metal_from_section_titles(tmp_path, reference):
    path = tmp_path / "report"  # no extension: detected by content
    expected = make_report_pdf(path, reference)
    assert detect_format(path) == "pdf"
    result = import_report(path, "Example Corp.", 2025)
    rows = result.rows
    assert len(rows) == len(expected) == 70
    assert list(rows["metal"]) == [m for m, _, _, _ in expected]
    assert list(rows["smelter_name"]) == [n for _, _, n, _ in expected]
    assert list(rows["ref"]) == [p for _, _, _, p in expected]
    assert (rows["metal_from"] == "section").all()
    named = rows["resolved_by"] == "name"
    correct = named & (rows["smelter_id"] == pd.Series([s for _, s, _, _ in expected]))
    assert correct.mean() >= 0.95 and correct.sum() == named.sum()
    assert rows.iloc[0]["status_as_reported"] == "Conformant"
    assert rows.iloc[25]["status_as_reported"] == "Active"


# ---- header words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Smelter Identification Number Input Column", "id"),
        ("Source of Smelter Identification Number", None),
        ("Smelter Look-up (*)", "name_alt"),
        ("Standard Smelter Name", "name_std"),
        ("Facility Name of Smelter or Refiner", "name"),
        ("Smelter Contact Name", None),
        ("Country of Smelter or Refiner", "country"),
        ("Location (Country) of Mine(s) or if recycled or scrap sourced", None),
        ("RMAP Audit Status", "status"),
        ("Subject Mineral", "metal"),
        ("冶炼厂识别号码输入列", "id"),
        ("冶炼厂名称 (1)", "name"),
        ("冶炼厂所在城市", None),
        ("Do any of the smelters in your supply chain source from the covered countries?", None),
        ("Smelter Not Listed", None),
    ],
)
def test_header_words(text, role):
    assert classify_header(text) == role


def test_section_titles():
    assert metal_in_heading("Cobalt (Co) Smelter List") == "cobalt"
    assert metal_in_heading("Chromium(Cr) Smelter List") == "chromium"
    assert metal_in_heading("3TG Smelter and Refiner List") is None
    assert metal_in_heading("Tin, tantalum, tungsten and gold smelters") is None
