"""``--site`` on the reading commands (export, search): archives of two sites built
with the store, no crawl."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.archive import export as archive_export
from crawler.archive.filters import ArticleFilter, check_sites, known_sites
from crawler.archive.search import search
from crawler.archive.store import ArchiveStore
from crawler.cli import main
from crawler.items import Article


def article(url: str, site: str | None, lang: str = "ru", **fields) -> Article:
    values = {
        "title": "Заголовок",
        "published": "2023-01-01",
        "published_raw": "1 января 2023",
        "views": 5,
        "views_raw": "5",
        "body": "Медиация и согласие.",
        "category": None,
        "image_urls": [],
        "fetched_at": "2026-12-01T10:00:00Z",
    }
    values.update(fields)
    return Article(url=url, lang=lang, site=site, **values)


#: Site a.kz: three articles (one without a date or views, one in Kazakh); b.kz: one;
#: one article stored before sites were named.
TWO_SITES = [
    article("https://a.kz/ru/news/1/", "a.kz", published="2022-05-01"),
    article("https://a.kz/ru/news/2/", "a.kz", published=None, views=None, views_raw=None),
    article("https://a.kz/kz/news/3/", "a.kz", lang="kk", body="Келісім туралы."),
    article("https://b.kz/ru/news/1/", "b.kz", published="2024-03-02", body="Медиацию обсудили."),
    article("https://old.kz/ru/news/1/", None, published="2020-01-01"),
]

B_REASON = "only 1 of 10 article pages had a body"


@pytest.fixture
def two_sites(tmp_path: Path) -> Path:
    """An archive of :data:`TWO_SITES` and one crawl: a.kz ok, b.kz unhealthy; c.kz
    crawled too, nothing stored."""
    path = tmp_path / "sites.db"
    store = ArchiveStore(path)
    crawl_id = store.start_crawl({}, pid=1, sites=["a.kz", "b.kz", "c.kz"])
    store.save_articles(TWO_SITES, crawl_id)
    store.record_site_figures(
        crawl_id,
        [
            {"site": "a.kz", "status": "ok", "articles_new": 3, "list_pages": 2},
            {"site": "b.kz", "status": "unhealthy", "summary": B_REASON, "articles_new": 1},
            {"site": "c.kz", "status": "ok", "articles_new": 0},
        ],
    )
    store.finish_crawl(
        crawl_id, "unhealthy", 5, {"articles_new": 4, "summary": f"b.kz: {B_REASON}"}
    )
    store.close()
    return path


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def csv_urls(text: str) -> list[str]:
    return [row["url"] for row in csv.DictReader(io.StringIO(text, newline=""))]


# -- the filter --------------------------------------------------------------------


def test_filter_where_takes_one_or_more_sites():
    assert ArticleFilter(sites=("a.kz",)).where("t") == ("t.site IN (?)", ["a.kz"])
    where, params = ArticleFilter(lang="ru", sites=("a.kz", "b.kz")).where()
    assert (where, params) == ("lang = ? AND site IN (?, ?)", ["ru", "a.kz", "b.kz"])
    assert ArticleFilter().where() == ("", [])


def test_known_sites_are_those_of_articles_and_crawls(two_sites):
    db = sqlite_utils.Database(two_sites)
    assert known_sites(db) == ["a.kz", "b.kz", "c.kz"]
    check_sites(db, ("a.kz", "c.kz"))
    with pytest.raises(ValueError, match=r"^no site 'x\.kz' in the archive \(the archive has "):
        check_sites(db, ("a.kz", "x.kz"))


def test_an_archive_without_site_names_refuses_any_site(archive_path):
    db = sqlite_utils.Database(archive_path)
    assert known_sites(db) == []
    with pytest.raises(ValueError, match="names no site yet"):
        check_sites(db, ("assembly.kz",))


# -- export ------------------------------------------------------------------------


def test_export_one_site(two_sites):
    result = run("export", "--db", two_sites, "--format", "csv", "-o", "-", "--site", "b.kz")
    assert result.exit_code == 0, result.output
    assert csv_urls(result.stdout) == ["https://b.kz/ru/news/1/"]
    assert result.stderr == "exported 1 rows of articles\n"


def test_export_several_sites_and_lang(two_sites):
    args = ["export", "--db", two_sites, "--format", "jsonl", "-o", "-"]
    result = run(*args, "--site", "a.kz", "--site", "b.kz", "--lang", "ru")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["url"] for r in rows) == [
        "https://a.kz/ru/news/1/",
        "https://a.kz/ru/news/2/",
        "https://b.kz/ru/news/1/",
    ]
    assert {r["site"] for r in rows} == {"a.kz", "b.kz"}


@pytest.mark.parametrize(("history", "rows"), [("versions", 3), ("views", 2)])
def test_export_history_of_one_site(two_sites, history, rows):
    args = ["export", "--db", two_sites, "--format", "csv", "-o", "-", "--history", history]
    result = run(*args, "--site", "a.kz")
    assert result.exit_code == 0, result.output
    urls = csv_urls(result.stdout)
    assert len(urls) == rows and all(u.startswith("https://a.kz/") for u in urls)


def test_export_xlsx_of_one_site(two_sites, tmp_path):
    from crawler.archive.xlsx import export_xlsx

    db = sqlite_utils.Database(two_sites)
    dataset = archive_export.DATASETS["articles"]
    result = export_xlsx(tmp_path / "b.xlsx", db, dataset, ArticleFilter(sites=("b.kz",)))
    assert result.rows == 1


def test_default_export_name_holds_the_sites(two_sites, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["export", "--db", two_sites, "--format", "csv", "--lang", "ru"]
    result = run(*args, "--site", "b.kz", "--site", "a.kz", "--site", "b.kz")
    assert result.exit_code == 0, result.output
    name = result.stdout.strip()
    assert re.fullmatch(r"exports/articles-a\.kz\+b\.kz-ru-\d{4}-\d{2}-\d{2}-\d{6}\.csv", name)
    result = run("export", "--db", two_sites, "--format", "csv", "--site", "a.kz")
    assert re.fullmatch(
        r"exports/articles-a\.kz-\d{4}-\d{2}-\d{2}-\d{6}\.csv", result.stdout.strip()
    )


@pytest.mark.parametrize("command", [["export", "--format", "csv", "-o", "-"], ["search", "word"]])
def test_unknown_site_is_one_line_and_exit_2(two_sites, command):
    result = run(*command, "--db", two_sites, "--site", "a.kz", "--site", "d.kz")
    assert (result.exit_code, result.output) == (
        2,
        "Error: no site 'd.kz' in the archive (the archive has a.kz, b.kz, c.kz)\n",
    )


# -- search ------------------------------------------------------------------------


def test_search_one_site(two_sites):
    result = run("search", "--db", two_sites, "--json", "медиация", "--site", "b.kz")
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.stdout)
    assert (hit["url"], hit["site"]) == ("https://b.kz/ru/news/1/", "b.kz")
    db = sqlite_utils.Database(two_sites)
    hits = search(db, "медиация", ArticleFilter(sites=("a.kz",)))
    assert [h.url for h in hits] == ["https://a.kz/ru/news/1/", "https://a.kz/ru/news/2/"]
    assert len(search(db, "медиация")) == 4


def test_search_text_shows_the_site(two_sites):
    result = run("search", "--db", two_sites, "обсудили")
    assert result.stdout.splitlines()[0] == "1. 2024-03-02  ru  b.kz  Заголовок"


def test_search_an_archive_without_the_site_column(archive_path):
    """An archive made before sites were named, opened read-only, lacks the column."""
    conn = sqlite3.connect(archive_path)
    conn.execute("DROP INDEX IF EXISTS idx_articles_site_published")
    conn.execute("ALTER TABLE articles DROP COLUMN site")
    conn.commit()
    conn.close()
    result = run("search", "--db", archive_path, "--json", "халық")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["site"] is None
    result = run("search", "--db", archive_path, "халық", "--site", "assembly.kz")
    assert result.exit_code == 2
