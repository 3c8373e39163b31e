"""``news-archive query`` (read-only SQL) and ``stats``; every command has an example."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.archive.filters import parse_date_bound
from crawler.archive.store import ArchiveStore
from crawler.cli import main

LANG_SQL = "SELECT lang, count(*) AS n, sum(views) AS views FROM articles GROUP BY lang"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_query_prints_a_table(archive_path):
    result = run("query", "--db", str(archive_path), LANG_SQL)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "lang    n    views\n------  ---  -------\nen      1\nkk      1    12\nru      2    409\n"
    )


def test_query_table_shortens_long_values(archive_path):
    sql = "SELECT body FROM articles WHERE url LIKE '%seminar%'"
    result = run("query", "--db", str(archive_path), sql)
    assert result.stdout.splitlines()[2] == (
        "Координатор по медиации рассказала о работе. Совет обществе…"
    )


def test_query_csv_and_json(archive_path):
    result = run("query", "--db", str(archive_path), "--csv", LANG_SQL)
    assert result.stdout_bytes == b"lang,n,views\r\nen,1,\r\nkk,1,12\r\nru,2,409\r\n"
    result = run("query", "--db", str(archive_path), "--json", LANG_SQL)
    assert json.loads(result.stdout) == [
        {"lang": "en", "n": 1, "views": None},
        {"lang": "kk", "n": 1, "views": 12},
        {"lang": "ru", "n": 2, "views": 409},
    ]
    result = run("query", "--db", str(archive_path), "--json", "SELECT 1 WHERE 0")
    assert result.stdout == "[]\n"


def test_query_can_search_the_index(archive_path):
    sql = (
        "SELECT a.url FROM articles_fts JOIN articles AS a ON a.rowid = articles_fts.rowid "
        "WHERE articles_fts MATCH 'медиац*'"
    )
    result = run("query", "--db", str(archive_path), "--csv", sql)
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout_bytes.decode().split("\r\n")[1:-1]) == [
        "https://assembly.kz/ru/news/kurs/",
        "https://assembly.kz/ru/news/seminar/",
    ]


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        (
            "INSERT INTO articles (url, first_seen, last_seen) VALUES ('x', 'a', 'b')",
            "INSERT",
        ),
        ("UPDATE articles SET views = 0", "UPDATE"),
        ("DELETE FROM articles", "DELETE"),
        ("DROP TABLE articles", "DROP"),  # what the user wrote, not "DELETE sqlite_master"
        ("  -- a comment\n drop table articles", "DROP"),
        ("CREATE TABLE t (x)", "CREATE"),
        ("CREATE TEMP TABLE t (x)", "CREATE"),
        ("ALTER TABLE articles ADD COLUMN x", "ALTER"),
        ("ATTACH 'other.db' AS other", "ATTACH"),
        ("PRAGMA user_version = 7", "PRAGMA user_version"),
        ("PRAGMA journal_mode = delete", "PRAGMA journal_mode"),
        ("VACUUM", "VACUUM"),
        ("REINDEX", "REINDEX"),
        ("BEGIN", "BEGIN"),
        ("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')", "INSERT"),
        ("SELECT fts3_tokenizer('simple')", "function fts3_tokenizer()"),
        ("SELECT hex(fts3_tokenizer('simple'))", "function fts3_tokenizer()"),
        ("SELECT FTS3_TOKENIZER('x', x'00000000')", "function fts3_tokenizer()"),
    ],
)
def test_query_refuses_writes(archive_path, tmp_path, monkeypatch, sql, refused):
    monkeypatch.chdir(tmp_path)
    before = digest(archive_path)
    result = run("query", "--db", str(archive_path), sql)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: refused ({refused}")
    assert result.output.endswith("query is read-only, it cannot change anything\n")
    assert digest(archive_path) == before
    assert not (tmp_path / "other.db").exists()


@pytest.mark.parametrize(
    ("args", "code", "output"),
    [
        (["SELEC 1"], 2, 'Error: SQL error: near "SELEC": syntax error\n'),
        (["SELECT * FROM nope"], 2, "Error: SQL error: no such table: nope\n"),
        (
            ["SELECT 1; DROP TABLE articles"],
            2,
            "Error: SQL error: You can only execute one statement at a time.\n",
        ),
        (["--csv", "--json", "SELECT 1"], 2, "Error: choose one of --csv and --json\n"),
        ([], 2, "Error: Missing argument 'SQL'. (see --help)\n"),
    ],
)
def test_query_bad_input_is_one_line(archive_path, args, code, output):
    result = run("query", "--db", str(archive_path), *args)
    assert (result.exit_code, result.output) == (code, output)


def test_query_missing_or_bad_database(tmp_path):
    missing = tmp_path / "missing.db"
    result = run("query", "--db", str(missing), "SELECT 1")
    assert (result.exit_code, result.output) == (4, f"Error: database not found: {missing}\n")
    assert not missing.exists()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all, just text" * 100)
    result = run("query", "--db", str(junk), "SELECT 1")
    assert result.exit_code == 4
    assert result.output == (f"Error: cannot open database {junk}: file is not a database\n")


def test_stats_figures(archive_path):
    store = ArchiveStore(archive_path)
    crawl_id = store.start_crawl({"full": False}, pid=1)
    store.finish_crawl(crawl_id, "ok", 0, {"articles_new": 4})
    store.close()
    result = run("stats", "--db", str(archive_path), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["articles"] == 4
    assert figures["languages"] == {"en": 1, "kk": 1, "ru": 2}
    assert figures["years"] == {"2022": 1, "2023": 2, "?": 1}
    assert figures["months"] == {
        "2022-08": {"ru": 1},
        "2023-01": {"ru": 1},
        "2023-02": {"kk": 1},
        "?": {"en": 1},
    }
    assert figures["published"] == {"first": "2022-08-24", "last": "2023-02-01"}
    assert figures["views"] == {"total": 421, "max": 409}
    assert figures["coverage"] == {
        "title": {"articles": 4, "share": 1.0},
        "published": {"articles": 3, "share": 0.75},
        "views": {"articles": 2, "share": 0.5},
        "body": {"articles": 4, "share": 1.0},
    }
    crawl = figures["last_crawl"]
    assert (crawl["id"], crawl["status"], crawl["articles_new"]) == (crawl_id, "ok", 4)


def test_stats_text(archive_path):
    result = run("stats", "--db", str(archive_path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "Articles: 4 (en 1, kk 1, ru 2)",
        "Published: 2022-08-24 to 2023-02-01",
        "Views: 421 in total, at most 409",
        "With: title 100.0% (4) · published 75.0% (3) · views 50.0% (2) · body 100.0% (4)",
        "Last crawl: none recorded",
    ]
    assert "Per year and language:" in lines
    assert "2023     0     1     1        2" in lines


def test_stats_empty_archive(tmp_path):
    ArchiveStore(tmp_path / "empty.db").close()
    result = run("stats", "--db", str(tmp_path / "empty.db"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "Articles: 0 (none)",
        "Published: ? to ?",
        "Views: 0 in total, at most 0",
        "With: title n/a · published n/a · views n/a · body n/a",
    ]


def test_stats_missing_database(tmp_path):
    result = run("stats", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 4
    assert result.output == f"Error: database not found: {tmp_path / 'none.db'}\n"


def test_not_an_archive(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    result = run("stats", "--db", str(empty))
    assert result.exit_code == 4
    assert result.output == f"Error: not a news-archive database (no articles table): {empty}\n"


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("2022", False, "2022-01-01"),
        ("2022", True, "2022-12-31"),
        ("2024-02", True, "2024-02-29"),
        ("2022-08-24", True, "2022-08-24"),
    ],
)
def test_parse_date_bound(text, end, day):
    assert parse_date_bound(text, end=end).isoformat() == day


@pytest.mark.parametrize("text", ["24.08.2022", "2022-8-1", "", "2022-00", "yesterday"])
def test_parse_date_bound_rejects(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_date_bound(text)


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_with_an_example(name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
