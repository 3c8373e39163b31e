"""End to end: the real ``news-archive crawl`` against the fixture site over HTTP."""

from __future__ import annotations

import re

import pytest

from crawler.fixture_site import FixtureSite
from tests.crawl_helpers import ROOT, crawl, news_archive, stored_articles

#: A real crawl, server or subprocess: deselect with -m "not e2e".
pytestmark = pytest.mark.e2e

COMPARED = (
    "url",
    "lang",
    "title",
    "published",
    "published_raw",
    "views",
    "views_raw",
    "body",
    "category",
    "image_urls",
)


def assert_archive_matches(db, site) -> None:
    """Every expected article stored exactly once, with exactly the expected fields."""
    stored = {row["url"]: row for row in stored_articles(db)}
    expected = {row["url"]: row for row in site.expected_articles()}
    assert sorted(stored) == sorted(expected)
    mismatches = [
        (url, name, stored[url][name], want[name])
        for url, want in expected.items()
        for name in COMPARED
        if stored[url][name] != want[name]
    ]
    assert mismatches == []


@pytest.mark.parametrize("layout", ["default", "custom", "modern", "mixed"])
def test_every_layout_is_stored_exactly(tmp_path, layout):
    db = tmp_path / "archive.db"
    with FixtureSite(layout=layout) as site:
        result = crawl(db, site.start_urls)
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert_archive_matches(db, site)


def test_seed_article(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="custom") as site:
        assert crawl(db, site.start_urls).returncode == 0
    rows = [r for r in stored_articles(db) if r["title"] == "Семинар в Индерском районе"]
    assert len(rows) == 1
    seed = rows[0]
    assert (seed["published"], seed["published_raw"]) == ("2022-08-24", "24 Августа, 2022")
    assert seed["views"] == 409
    assert seed["lang"] == "ru"
    assert seed["category"] == "Ассамблея народа Казахстана"
    assert seed["body"].startswith("В Индерском районе Атырауской области")
    assert seed["body"].endswith("от профессионального международного медиатора.")
    assert seed["body"].count("\n\n") == 4
    assert "Возврат к списку" not in seed["body"]


def test_cookies_on_a_fresh_machine_ask_no_third_party(tmp_path):
    """The site's session cookie makes Scrapy check the Public Suffix List; on a machine
    without tldextract's cache that used to download it from publicsuffix.org (offline:
    a logged traceback). The bundled list is used instead: nothing fetched, no cache."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TLDEXTRACT_CACHE": ""}
    with FixtureSite(layout="custom") as site:
        result = crawl(tmp_path / "archive.db", site.start_urls, env=env)
        assert site.sessions == 1  # the cookie was kept
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "Public Suffix" not in result.stderr
    assert not (home / ".cache").exists()


def test_second_crawl_adds_nothing_and_fetches_no_article(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="mixed") as site:
        assert crawl(db, site.start_urls).returncode == 0
        # Cookies are kept: the whole crawl is one PHP session (one view per article).
        assert site.sessions == 1
        before = stored_articles(db)
        site.clear_log()
        result = crawl(db, site.start_urls, "--refresh-days", "0")
        assert result.returncode == 0, result.stderr[-3000:]
        assert "0 new" in result.stdout
        assert stored_articles(db) == before
        pages = [path for method, path, status in site.request_log if path not in ("/robots.txt",)]
        # One list page per language, no article page.
        assert sorted(pages) == sorted(url.removeprefix(site.url) for url in site.start_urls)

        # The default --refresh-days 3 refetches what was published today and yesterday.
        site.clear_log()
        assert crawl(db, site.start_urls).returncode == 0
        refreshed = {path for _, path, _ in site.request_log} - {
            "/robots.txt",
            *(url.removeprefix(site.url) for url in site.start_urls),
        }
        recent = site.fault_urls()
        assert refreshed == {
            url.removeprefix(site.url) for url in recent["today"] + recent["yesterday"]
        }


def test_robots_barring_pagination_uses_the_sitemaps(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="mixed", robots="bitrix") as site:
        result = crawl(db, site.start_urls)
        assert result.returncode == 0, result.stderr[-3000:]
        paths = [path for _, path, _ in site.request_log]
        assert not [p for p in paths if "PAGEN" in p or "print=" in p or "/search/" in p]
        assert "/sitemap.xml" in paths
        assert_archive_matches(db, site)


def test_full_crawl_refetches_everything(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="default") as site:
        assert crawl(db, site.start_urls).returncode == 0
        site.clear_log()
        result = crawl(db, site.start_urls, "--full")
        assert result.returncode == 0
        expected = len(site.expected_articles())
        assert f"0 new, 0 changed, {expected} unchanged" in result.stdout


def test_scrapy_crawl_from_project_root(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "scrapy.db"
    with FixtureSite(layout="custom", articles_per_lang=12) as site:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "news",
                "-a",
                "start_urls=" + ",".join(site.start_urls),
                "-s",
                f"NEWS_ARCHIVE_DB={db}",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "RETRY_BACKOFF_BASE=0",
                "-O",
                str(tmp_path / "items.csv"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert_archive_matches(db, site)
    lines = (tmp_path / "items.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("url,lang,published,published_raw,title")


def test_inspect_article_and_list():
    with FixtureSite(layout="custom") as site:
        article_url = next(
            a["url"] for a in site.expected_articles() if a["title"] == "Семинар в Индерском районе"
        )
        result = news_archive("inspect", article_url)
        assert result.returncode == 0, result.stderr[-2000:]
        assert '"page_type": "article"' in result.stdout
        assert '"views": 409' in result.stdout
        assert '"published": "2022-08-24"' in result.stdout
        result = news_archive("inspect", site.start_urls[0])
        assert '"page_type": "list"' in result.stdout
        assert re.search(
            r'"next_url": "http://127\.0\.0\.1:\d+/ru/news/\?PAGEN_1=2"', result.stdout
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "--start-url", "not-a-url"], "not an http(s) URL"),
        (["crawl", "-s", "NOVALUE"], "expected NAME=VALUE"),
        (["crawl", "--refresh-days", "-1"], "--refresh-days"),
        (["export", "--format", "xml"], "--format"),
    ],
)
def test_bad_arguments_exit_2_without_traceback(tmp_path, args, message):
    result = news_archive(*args, "--db", str(tmp_path / "a.db"))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_database_exits_4(tmp_path):
    db = tmp_path / "bad.db"
    db.write_bytes(b"not a database" * 200)
    result = news_archive("crawl", "--db", str(db), "--start-url", "http://127.0.0.1:9/")
    assert result.returncode == 4
    assert "cannot open database" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_url_that_is_not_a_news_list_is_unhealthy(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="custom", articles_per_lang=12) as site:
        article_url = site.expected_articles()[5]["url"]
        result = crawl(db, [article_url])
    assert result.returncode == 5, result.stdout + result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    assert " crawl 1 unhealthy: 0 new" in last
    assert "no article link found on 1 list page (is the start URL a news list?)" in last
    assert "Traceback" not in result.stderr
