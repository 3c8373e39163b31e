"""``export --format xlsx`` read back with openpyxl (and LibreOffice when present) and
compared cell by cell, types included, with the JSON Lines export of the same archive;
``--delimiter`` for CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from crawler.archive.store import ArchiveStore
from crawler.archive.xlsx import CELL_LIMIT, split_text, utf16_length
from crawler.cli import main
from crawler.items import Article
from tests.conftest import SAMPLE_ARTICLES

#: A body longer than three cells, with an astral character (two UTF-16 units) in it.
LONG_BODY = ("Медиация — диалог. Қазақстан халқы 😀. " * 2600).strip()

#: Titles and bodies a spreadsheet would turn into numbers, dates, booleans, formulas.
TRICKY = [
    Article(
        url=f"https://assembly.kz/ru/news/tricky-{n}/",
        lang="ru",
        title=title,
        published=published,
        published_raw=published or "когда-то",
        views=views,
        views_raw=str(views) if views is not None else None,
        body=body,
        category=None,
        image_urls=[],
        fetched_at="2026-11-22T08:30:05Z",
    )
    for n, (title, body, published, views) in enumerate(
        [
            ("0012345", "1/2", "2022-08-24", 0),
            ("2022-08-24", "TRUE", "2021-01-01T23:59", 7),
            ("TRUE", "=SUM(A1:A2)", None, None),
            ('=HYPERLINK("x")', "+7 (727) 000", "2020-02-29", 3),
            ("  пробелы  ", "line\r\nbreak\ttab", "2019-12-31", 1),
            ("Ұлттық кеңес", LONG_BODY, "2023-03-01", 12),
        ]
    )
]


@pytest.fixture
def tricky_archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    store = ArchiveStore(path)
    store.save_articles(SAMPLE_ARTICLES + TRICKY)
    store.close()
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def ooxml_text(value: str) -> str:
    """A cell's text as Excel reads it: ``_xHHHH_`` escapes decoded (openpyxl leaves
    them)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def jsonl_rows(db: Path, *extra: str) -> list[dict]:
    result = run("export", "--db", str(db), "--format", "jsonl", "-o", "-", *extra)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def joined(header: list[str], values: list) -> dict:
    """A sheet row as {column: value}, continuation columns joined to their column."""
    row: dict = {}
    for name, value in zip(header, values, strict=True):
        base, _, n = name.rpartition("_")
        if n.isdigit() and base in row:
            if value is not None:
                row[base] += ooxml_text(value)
        else:
            row[name] = ooxml_text(value) if isinstance(value, str) else value
    return row


def expected_cell(name: str, value):
    """What the workbook must hold for a JSON Lines value."""
    if value is None:
        return None
    if name == "published" and re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?)?", value):
        return datetime.fromisoformat(value)
    if name in ("first_seen", "last_seen", "seen_at"):
        return datetime.fromisoformat(value.rstrip("Z"))
    if name == "image_urls":
        return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
    return value


def export_xlsx(db: Path, out: Path, *extra: str):
    result = run("export", "--db", str(db), "--format", "xlsx", "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return result


def test_workbook_matches_jsonl_cell_by_cell_types_included(tricky_archive, tmp_path):
    out = tmp_path / "articles.xlsx"
    result = export_xlsx(tricky_archive, out)
    assert "warning: 1 cells longer than 32,767 characters were split" in result.stderr
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:9] == [
        "url",
        "lang",
        "published",
        "published_raw",
        "title",
        "category",
        "views",
        "views_raw",
        "body",
    ]
    assert header[9:12] == ["body_2", "body_3", "body_4"]  # continuations follow body
    expected = jsonl_rows(tricky_archive)
    assert len(rows) - 1 == len(expected) == len(SAMPLE_ARTICLES) + len(TRICKY)
    for values, record in zip(rows[1:], expected, strict=True):
        row = joined(header, list(values))
        for name, value in record.items():
            want = expected_cell(name, value)
            if name == "image_urls" and isinstance(value, list):
                assert json.loads(row[name]) == value
            else:
                assert row[name] == want and type(row[name]) is type(want), (name, value)


def test_text_cells_stay_text_and_types_are_real(tricky_archive, tmp_path):
    out = tmp_path / "articles.xlsx"
    export_xlsx(tricky_archive, out)
    sheet = openpyxl.load_workbook(out).active
    cells = {sheet.cell(r, 5).value: r for r in range(2, sheet.max_row + 1)}  # title
    for title in ("0012345", "2022-08-24", "TRUE", '=HYPERLINK("x")', "  пробелы  "):
        cell = sheet.cell(cells[title], 5)
        assert cell.data_type == "s" and cell.value == title
    row = cells["0012345"]
    assert sheet.cell(row, 9).value == "1/2" and sheet.cell(row, 9).data_type == "s"
    assert sheet.cell(row, 7).value == 0 and sheet.cell(row, 7).data_type == "n"
    assert sheet.cell(row, 3).value == datetime(2022, 8, 24)
    assert sheet.cell(row, 3).number_format == "yyyy-mm-dd"
    timed = sheet.cell(cells["2022-08-24"], 3)
    assert timed.value == datetime(2021, 1, 1, 23, 59) and timed.number_format == "yyyy-mm-dd hh:mm"
    url = sheet.cell(row, 1)
    assert url.value == url.hyperlink.target == "https://assembly.kz/ru/news/tricky-0/"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])


def test_history_exports_as_workbooks(tricky_archive, tmp_path):
    for history, first in (
        ("views", ["url", "seen_at", "views", "crawl_id"]),
        ("versions", ["url", "version", "seen_at", "crawl_id", "title"]),
    ):
        out = tmp_path / f"{history}.xlsx"
        export_xlsx(tricky_archive, out, "--history", history)
        rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
        header = list(rows[0])
        assert header[: len(first)] == first
        expected = jsonl_rows(tricky_archive, "--history", history)
        assert len(rows) - 1 == len(expected)
        for values, record in zip(rows[1:], expected, strict=True):
            row = joined(header, list(values))
            assert row == {k: expected_cell(k, v) for k, v in record.items()}


def test_filters_and_stdout(tricky_archive, tmp_path):
    result = CliRunner().invoke(
        main, ["export", "--db", str(tricky_archive), "--format", "xlsx", "-o", "-", "--lang", "kk"]
    )
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data[:2] == b"PK"
    workbook = openpyxl.load_workbook(io.BytesIO(data[: data.rindex(b"PK\x05\x06") + 22]))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["kk"]


def test_split_text_keeps_every_character_within_the_cell_limit():
    pieces = split_text(LONG_BODY)
    assert "".join(pieces) == LONG_BODY
    assert all(utf16_length(p) <= CELL_LIMIT for p in pieces)
    assert split_text("short") == ["short"]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_the_workbook_as_exported(tricky_archive, tmp_path):
    out = tmp_path / "articles.xlsx"
    export_xlsx(tricky_archive, out)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "lo"),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with open(tmp_path / "lo" / "articles.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    expected = jsonl_rows(tricky_archive)
    assert len(rows) - 1 == len(expected)
    for values, record in zip(rows[1:], expected, strict=True):
        row = joined(header, [v if v != "" else None for v in values])
        for name, value in record.items():
            want = value
            if name in ("first_seen", "last_seen") and value:
                want = value.replace("T", " ").rstrip("Z")
            elif name == "published" and value and "T" in value:
                want = value.replace("T", " ")
            elif name == "image_urls" and isinstance(value, list):
                want = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, int):
                want = str(value)
            if name == "body" and value:
                # LibreOffice's CSV filter writes a cell's CR LF as LF
                want = want.replace("\r\n", "\n")
            assert row[name] == want, (name, value, row[name])


def test_delimiter_semicolon(tricky_archive):
    result = run(
        "export",
        "--db",
        str(tricky_archive),
        "--format",
        "csv",
        "--excel",
        "--delimiter",
        ";",
        "-o",
        "-",
    )
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8-sig")
    assert text.startswith("url;lang;published;")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    body = {r[0]: r[8] for r in rows[1:]}
    assert body["https://assembly.kz/ru/news/kurs/"].startswith("'-Первый абзац; «кавычки»")
    assert len({len(r) for r in rows}) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "csv", "--delimiter", '"'], "--delimiter must be one character"),
        (["--format", "csv", "--delimiter", ";;"], "--delimiter must be one character"),
        (["--format", "jsonl", "--delimiter", ";"], "--delimiter applies to --format csv"),
        (["--format", "xlsx", "--excel"], "--excel applies to --format csv"),
    ],
)
def test_bad_options_are_one_line(tricky_archive, args, message):
    result = run("export", "--db", str(tricky_archive), *args, "-o", "-")
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1


def test_tab_delimiter_spelt_out(tricky_archive):
    result = run(
        "export", "--db", str(tricky_archive), "--format", "csv", "--delimiter", "\\t", "-o", "-"
    )
    assert result.stdout.startswith("url\tlang\tpublished")
