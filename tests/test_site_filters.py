"""``--site`` on the reading commands (export, search, stats), per-site figures in
``stats``, and the site facet of ``serve``: archives of two sites built with the store,
no crawl."""

from __future__ import annotations

import asyncio
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
from crawler.archive import stats as archive_stats
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
    result = run("stats", "--db", archive_path, "--json")
    assert result.exit_code == 0, result.output
    assert [s["site"] for s in json.loads(result.stdout)["sites"]] == [None]
    result = run("stats", "--db", archive_path, "--site", "assembly.kz")
    assert result.exit_code == 2


# -- stats -------------------------------------------------------------------------


def test_stats_per_site_figures(two_sites):
    figures = archive_stats.archive_stats(sqlite_utils.Database(two_sites))
    assert figures["articles"] == 5 and figures["site_filter"] is None
    by_site = {s["site"]: s for s in figures["sites"]}
    assert list(by_site) == ["a.kz", "b.kz", "c.kz", None]
    a = by_site["a.kz"]
    assert a["articles"] == 3
    assert a["published"] == {"first": "2022-05-01", "last": "2023-01-01"}
    assert a["coverage"]["published"] == {"articles": 2, "share": 0.6667}
    assert a["coverage"]["views"] == {"articles": 2, "share": 0.6667}
    assert (a["last_crawl"]["id"], a["last_crawl"]["status"]) == (1, "ok")
    assert a["last_crawl"]["list_pages"] == 2 and a["last_crawl"]["finished_at"]
    b = by_site["b.kz"]["last_crawl"]
    assert (b["status"], b["summary"], b["run_status"]) == ("unhealthy", B_REASON, "unhealthy")
    assert by_site["c.kz"]["articles"] == 0
    assert by_site["c.kz"]["coverage"]["body"] == {"articles": 0, "share": None}
    assert by_site[None]["last_crawl"] is None


def test_stats_text_has_a_per_site_table(two_sites):
    result = run("stats", "--db", two_sites)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Articles: 5 (kk 1, ru 4)"
    table = lines[lines.index("Per site:") + 1 :]
    assert table[0].split() == [
        "site",
        "articles",
        "date",
        "views",
        "title",
        "body",
        "first",
        "last",
        "last",
        "crawl",
    ]
    assert re.fullmatch(
        r"a\.kz +3 +66\.7% +66\.7% +100\.0% +100\.0% +2022-05-01 +2023-01-01 +#1 \S+Z ok",
        table[2],
    )
    assert re.fullmatch(r"b\.kz +1 +100\.0% .* #1 \S+Z unhealthy", table[3])
    assert re.fullmatch(r"c\.kz +0 +n/a +n/a +n/a +n/a +\? +\? +#1 \S+Z ok", table[4])
    assert re.fullmatch(r"\? +1 +.* none recorded", table[5])
    assert table[6].startswith("?: articles stored before sites were named")
    assert table[7:9] == ["Unhealthy at their last crawl:", f"  b.kz: {B_REASON}"]
    assert table[9] == ""


def test_stats_one_site(two_sites):
    result = run("stats", "--db", two_sites, "--site", "b.kz")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Site: b.kz",
        "Articles: 1 (ru 1)",
        "Published: 2024-03-02 to 2024-03-02",
    ]
    assert re.fullmatch(
        rf"Last crawl: #1 unhealthy, \S+ to \S+: 1 new, 0 changed, 0 unchanged, 0 failed"
        rf" — {B_REASON}",
        lines[5],
    )
    assert "Per site:" not in lines
    figures = json.loads(run("stats", "--db", two_sites, "--site", "b.kz", "--json").stdout)
    assert figures["site_filter"] == ["b.kz"]
    assert [s["site"] for s in figures["sites"]] == ["b.kz"]
    assert figures["years"] == {"2024": 1}


def test_stats_sites_without_articles_and_several(two_sites):
    figures = json.loads(run("stats", "--db", two_sites, "--site", "c.kz", "--json").stdout)
    assert figures["articles"] == 0
    assert figures["last_crawl"]["status"] == "ok"
    assert [s["site"] for s in figures["sites"]] == ["c.kz"]
    result = run("stats", "--db", two_sites, "--site", "a.kz", "--site", "b.kz")
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Site: a.kz, b.kz", "Articles: 4 (kk 1, ru 3)"]
    assert "Per site:" in lines
    assert lines[5].startswith("Last crawl: #1 unhealthy, ")  # the run's own row


def test_stats_unknown_site(two_sites):
    result = run("stats", "--db", two_sites, "--site", "x.kz")
    assert (result.exit_code, result.output) == (
        2,
        "Error: no site 'x.kz' in the archive (the archive has a.kz, b.kz, c.kz)\n",
    )


def test_stats_of_one_named_site_has_no_table(tmp_path):
    path = tmp_path / "one.db"
    store = ArchiveStore(path)
    store.save_articles([article("https://a.kz/ru/news/1/", "a.kz")])
    store.close()
    lines = run("stats", "--db", path).stdout.splitlines()
    assert "Per site:" not in lines
    assert lines[5:7] == ["", "Per year and language:"]


# -- serve -------------------------------------------------------------------------


def facets(path: Path) -> dict:
    async def fetch():
        from datasette.app import Datasette

        ds = Datasette([str(path)])
        await ds.invoke_startup()
        return await ds.client.get(f"/{path.stem}/articles.json?_shape=objects")

    response = asyncio.run(fetch())
    assert response.status_code == 200
    found = response.json()["facet_results"]
    found = found.get("results", found)
    return {name: {r["value"]: r["count"] for r in f["results"]} for name, f in found.items()}


def test_serve_facets_articles_by_site(two_sites, tmp_path):
    assert facets(two_sites)["site"] == {"a.kz": 3, "b.kz": 1}
    old = tmp_path / "old.db"
    old.write_bytes(two_sites.read_bytes())
    conn = sqlite3.connect(old)
    conn.execute("DROP INDEX IF EXISTS idx_articles_site_published")
    conn.execute("ALTER TABLE articles DROP COLUMN site")
    conn.commit()
    conn.close()
    assert "site" not in facets(old)  # no such column: no facet, and no error


def test_stats_by_language_and_span_with_a_site(two_sites):
    result = run("stats", "--db", two_sites, "--site", "a.kz", "--lang", "ru", "--since", "2022")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Site: a.kz",
        "Only: language ru; published 2022-01-01 to …",
        "Articles: 1 (ru 1)",  # the undated one is left out by --since, kk by --lang
    ]
    figures = json.loads(run("stats", "--db", two_sites, "--until", "2022-12", "--json").stdout)
    assert figures["articles"] == 2  # old.kz 2020 and a.kz 2022-05
    assert figures["article_filter"] == "published … to 2022-12-31"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--lang", "xx"], "xx"),
        (["--since", "2024", "--until", "2023"], "no article can match"),
    ],
)
def test_stats_bad_filter_is_one_line_and_exit_2(two_sites, args, expected):
    result = run("stats", "--db", two_sites, *args)
    assert result.exit_code == 2
    assert expected in result.output and len(result.output.strip().splitlines()) == 1
