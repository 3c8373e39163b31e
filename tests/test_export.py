"""``news-archive export``: CSV and JSON Lines, --excel, filters, history, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.archive import export as archive_export
from crawler.archive.export import ARTICLE_ORDER, defuse
from crawler.cli import main

HEADER = list(ARTICLE_ORDER)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_csv_round_trip(archive_path, tmp_path):
    out = tmp_path / "out.csv"
    result = run("export", "--db", str(archive_path), "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert result.stderr == "exported 4 rows of articles\n"
    rows = read_csv(out)
    assert rows[0] == HEADER
    assert len(rows) == 5
    by_url = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    seminar = by_url["https://assembly.kz/ru/news/seminar/"]
    assert seminar["body"] == (
        "Координатор по медиации рассказала о работе.\n\n"
        "Совет общественного согласия обсудил итоги."
    )
    assert seminar["published_raw"] == "24 Августа, 2022"
    assert seminar["views"] == "409"
    assert json.loads(seminar["image_urls"]) == ["https://assembly.kz/upload/iblock/abc/1.jpg"]
    assert (seminar["version"], seminar["first_seen"]) == ("1", "2026-11-20T10:00:00Z")
    kurs = by_url["https://assembly.kz/ru/news/kurs/"]
    assert (kurs["title"], kurs["views"], kurs["category"]) == ("=Курс по медиацию", "", "")
    assert kurs["body"].startswith("-Первый абзац; «кавычки», запятые.\n\n")
    # rows in order of publication; an article without a date comes first
    assert [row[2] for row in rows[1:]] == ["", "2022-08-24", "2023-01-15T10:15", "2023-02-01"]


def test_csv_is_rfc4180_without_bom(archive_path, tmp_path):
    out = tmp_path / "out.csv"
    run("export", "--db", str(archive_path), "--format", "csv", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"url,lang,published,")
    assert data.count(b"\r\n") == 5  # record ends; breaks inside bodies stay \n
    assert '"Координатор по медиации рассказала о работе.\n\nСовет' in data.decode()


def test_excel_adds_bom_and_defuses_formulas(archive_path, tmp_path):
    out = tmp_path / "excel.csv"
    result = run("export", "--db", str(archive_path), "--format", "csv", "--excel", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfurl,lang,")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = {row[0]: dict(zip(HEADER, row, strict=True)) for row in list(csv.reader(f))[1:]}
    kurs = rows["https://assembly.kz/ru/news/kurs/"]
    assert kurs["title"] == "'=Курс по медиацию"
    assert kurs["body"].startswith("'-Первый абзац")
    assert rows["https://assembly.kz/en/news/unity/"]["title"] == "'@Unity day"
    assert rows["https://assembly.kz/ru/news/seminar/"]["title"] == "Семинар в Индерском районе"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701", "'+7 701"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("обычный текст", "обычный текст"),
        ("", ""),
        (409, 409),
        (None, None),
    ],
)
def test_defuse(value, expected):
    assert defuse(value) == expected


def test_jsonl_count_and_types(archive_path, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("export", "--db", str(archive_path), "--format", "jsonl", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    records = {r["url"]: r for r in map(json.loads, lines)}
    assert all(list(r) == HEADER for r in records.values())
    kk = records["https://assembly.kz/kz/news/parlament/"]
    assert kk["views"] == 12 and kk["version"] == 1
    assert kk["image_urls"] == ["https://assembly.kz/upload/iblock/def/2.jpg", "https://x/3.jpg"]
    unity = records["https://assembly.kz/en/news/unity/"]
    assert (unity["published"], unity["views"], unity["category"]) == (None, None, None)
    assert unity["image_urls"] == []
    assert records["https://assembly.kz/ru/news/kurs/"]["published"] == "2023-01-15T10:15"


@pytest.mark.parametrize(
    ("options", "urls"),
    [
        (["--lang", "ru"], ["seminar", "kurs"]),
        (["--since", "2023"], ["kurs", "parlament"]),
        (["--until", "2023-01"], ["seminar", "kurs"]),
        (["--since", "2022-08-24", "--until", "2022-08-24"], ["seminar"]),
        (["--lang", "kk", "--since", "2024-01-01"], []),
    ],
)
def test_filters(archive_path, options, urls):
    result = run("export", "--db", str(archive_path), "--format", "jsonl", "-o", "-", *options)
    assert result.exit_code == 0, result.output
    found = [json.loads(line)["url"].split("/")[-2] for line in result.stdout.splitlines()]
    assert found == urls


def test_stdout_output_with_bom(archive_path):
    result = run("export", "--db", str(archive_path), "--format", "csv", "--excel", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfurl,lang,")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert len(rows) == 5


def test_default_output_is_a_dated_file_under_exports(archive_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "--db", str(archive_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    name = result.stdout.strip()
    assert re.fullmatch(r"exports/articles-\d{4}-\d{2}-\d{2}-\d{6}\.csv", name)
    assert len(read_csv(tmp_path / name)) == 5
    assert [p.name for p in (tmp_path / "exports").iterdir()] == [Path(name).name]


def test_history_versions_and_views(archive_path, tmp_path):
    out = tmp_path / "v.csv"
    result = run(
        "export",
        "--db",
        str(archive_path),
        "--format",
        "csv",
        "--history",
        "versions",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert rows[0] == ["url", "version", "seen_at", "crawl_id", "title", "body"]
    assert len(rows) == 5
    result = run(
        "export",
        "--db",
        str(archive_path),
        "--format",
        "jsonl",
        "--history",
        "views",
        "--lang",
        "ru",
        "-o",
        "-",
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {
            "url": "https://assembly.kz/ru/news/seminar/",
            "seen_at": "2026-11-20T10:00:00Z",
            "views": 409,
            "crawl_id": None,
        }
    ]


def test_failed_export_leaves_no_file(archive_path, tmp_path, monkeypatch):
    def broken(out, columns, rows, **kwargs):
        out.write("url,lang\r\nhalf a row")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(archive_export, "write_csv", broken)
    target = tmp_path / "out" / "articles.csv"
    target.parent.mkdir()
    result = run("export", "--db", str(archive_path), "--format", "csv", "-o", str(target))
    assert result.exit_code == 4
    assert result.output == "Error: export failed: disk I/O error\n"
    assert list(target.parent.iterdir()) == []


def test_export_replaces_an_old_file_whole(archive_path, tmp_path):
    target = tmp_path / "articles.csv"
    target.write_text("old", encoding="utf-8")
    run("export", "--db", str(archive_path), "--format", "csv", "-o", str(target))
    assert len(read_csv(target)) == 5
    assert oct(target.stat().st_mode & 0o777) != "0o600"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--format", "xml"], 2, "Error: Invalid value for '--format': 'xml' is not one of"),
        (["--format", "csv", "--since", "2022-13-01"], 2, "Error: Invalid value for '--since'"),
        (["--format", "csv", "--until", "yesterday"], 2, "not a date: 'yesterday'"),
        (["--format", "jsonl", "--excel"], 2, "Error: --excel applies to --format csv only"),
        (
            ["--format", "csv", "-o", "no/such/dir/a.csv"],
            2,
            "Error: output directory does not exist: no/such/dir",
        ),
        ([], 2, "Error: Missing option '--format'"),
        (
            ["--format", "csv", "--lang", "kz"],
            2,
            "Error: no article in language 'kz' (the archive has en, kk, ru)",
        ),
    ],
)
def test_bad_input_is_one_line(archive_path, args, code, message):
    result = run("export", "--db", str(archive_path), *args)
    assert result.exit_code == code
    assert result.output.count("\n") == 1
    assert result.output.startswith(message) or message in result.output
    assert "Traceback" not in result.output


def test_missing_database_is_not_created(tmp_path):
    missing = tmp_path / "missing.db"
    result = run("export", "--db", str(missing), "--format", "csv", "-o", "-")
    assert result.exit_code == 4
    assert result.output == f"Error: database not found: {missing}\n"
    assert not missing.exists()
