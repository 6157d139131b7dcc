"""Files that cannot be imported: a clear message on stderr, a non-zero exit code, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, module: str = "riskatlas.importer.cli") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, "import-report", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def image_only_pdf(path: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).rectangle([50, 50, 550, 120], outline="black", width=3)
    img.save(path, "PDF", resolution=72)


def encrypted_pdf(path: Path, tmp: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = tmp / "plain.pdf"
    image_only_pdf(plain)
    w = PdfWriter()
    for p in PdfReader(plain).pages:
        w.add_page(p)
    w.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as f:
        w.write(f)


def template_without_list(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Declaration"
    wb.create_sheet("Smelter Look-up").append(
        ["Gold", "Agosi AG", "Agosi AG", "GERMANY", "CID000035"]
    )
    wb.save(path)


def workbook_without_smelters(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Invoice", "Amount"])
    wb.active.append(["A-1", 12.5])
    wb.save(path)


CASES = {
    "html_no_table": (
        "page.html",
        lambda p, t: p.write_text(
            "<html><body><h1>Conflict minerals</h1><p>No list.</p></body></html>"
        ),
        "no smelter table found",
    ),
    "image_only_pdf": ("scan.pdf", lambda p, t: image_only_pdf(p), "no text layer"),
    "encrypted_pdf": ("locked.pdf", lambda p, t: encrypted_pdf(p, t), "encrypted"),
    "truncated_pdf": ("broken.pdf", lambda p, t: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<<"), "PDF"),
    "xlsx_without_sheet": (
        "cmrt.xlsx",
        lambda p, t: template_without_list(p),
        "no 'Smelter List' sheet",
    ),
    "xlsx_no_smelters": (
        "book.xlsx",
        lambda p, t: workbook_without_smelters(p),
        "no smelter table found",
    ),
    "csv_wrong_columns": (
        "list.csv",
        lambda p, t: p.write_text("date,amount,invoice\n2025-01-02,12.5,A-1\n"),
        "no smelter table found",
    ),
    "empty_file": ("empty.csv", lambda p, t: p.write_bytes(b""), "is empty"),
    "old_excel": (
        "old.xls",
        lambda p, t: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        ".xls",
    ),
    "binary": ("blob.bin", lambda p, t: p.write_bytes(bytes(range(256)) * 8), "binary"),
    "zip_not_xlsx": ("a.zip", lambda p, t: _zip(p), "not an Excel"),
}


def _zip(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_file_gives_a_message_and_an_exit_code(tmp_path, case):
    name, make, message = CASES[case]
    path = tmp_path / name
    make(path, tmp_path)
    out = run_cli(str(path), "--brand", "Example Corp.")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    assert out.stderr.startswith("import-report: ")
    assert message.lower() in out.stderr.lower(), out.stderr


def test_missing_file(tmp_path):
    out = run_cli(str(tmp_path / "nope.pdf"), "--brand", "X")
    assert out.returncode == 2
    assert "no such file" in out.stderr and "Traceback" not in out.stderr


def test_missing_database_named_on_the_command_line(fixtures_dir, tmp_path):
    out = run_cli(
        str(fixtures_dir / "importer_noid_garrett.csv"),
        "--brand",
        "X",
        "--db",
        str(tmp_path / "x.duckdb"),
    )
    assert out.returncode == 2
    assert "database not found" in out.stderr and "Traceback" not in out.stderr


def test_through_the_main_command_line(tmp_path):
    """`python -m riskatlas import-report` once the lead wires the subcommand in."""
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Nothing here</p></body></html>")
    out = run_cli(str(path), "--brand", "X", module="riskatlas")
    if "invalid choice: 'import-report'" in out.stderr:
        pytest.skip("import-report is not wired into python -m riskatlas yet")
    assert out.returncode == 2 and "no smelter table found" in out.stderr
