"""End to end on the templates of issue 11: a reverse-numbered list (``bDescPageNumbering``)
and a list that shows the dates its article pages lack (fixture layouts ``reverse`` and
``unseen``), through full, incremental and sitemap crawls."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from crawler.fixture_site import FixtureSite
from crawler.fixture_site.unseen import CALL_TO_ACTION
from tests.crawl_helpers import crawl, news_archive, stored_articles
from tests.test_crawl_e2e import assert_archive_matches

#: A real crawl, server or subprocess: deselect with -m "not e2e".
pytestmark = pytest.mark.e2e


def list_pages_fetched(site: FixtureSite) -> list[str]:
    """Paths with query of the list pages requested, in order."""
    return [
        path
        for _, path, status in site.request_log
        if status == 200 and urlsplit(path).path.endswith("/news/")
    ]


def test_reverse_numbered_lists_are_walked_to_page_one(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="reverse", articles_per_lang=25) as site:
        result = crawl(db, site.start_urls)
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert_archive_matches(db, site)
        fetched = list_pages_fetched(site)
        for lang in ("ru", "kz", "en"):
            # newest page (the bare URL, number 3) → 2 → 1 (the oldest), each once
            assert [p for p in fetched if p.startswith(f"/{lang}/")] == [
                f"/{lang}/news/",
                f"/{lang}/news/?PAGEN_1=2",
                f"/{lang}/news/?PAGEN_1=1",
            ]
    walks = sqlite_utils.Database(db).execute("select start_url from list_walks").fetchall()
    assert sorted(row[0] for row in walks) == sorted(site.start_urls)


def test_reverse_numbered_incremental_stops_when_nothing_is_new(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="reverse", articles_per_lang=25) as site:
        assert crawl(db, site.start_urls, "--refresh-days", "0").returncode == 0
        site.set_phase(2)  # three new articles on top of every list
        site.clear_log()
        result = crawl(db, site.start_urls, "--refresh-days", "0")
        assert result.returncode == 0, result.stderr[-3000:]
        assert "9 new, 0 changed" in result.stdout
        fetched = list_pages_fetched(site)
        # The newest page brings the new articles, the next brings nothing: stop there,
        # before the oldest page.
        assert sorted(fetched) == sorted(
            f"/{lang}/news/{query}" for lang in ("ru", "kz", "en") for query in ("", "?PAGEN_1=2")
        )
        site.clear_log()
        assert crawl(db, site.start_urls, "--full").returncode == 0
        assert_archive_matches(db, site)


def test_reverse_numbered_site_barring_pagination_uses_the_sitemaps(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="reverse", robots="bitrix", articles_per_lang=25) as site:
        result = crawl(db, site.start_urls)
        assert result.returncode == 0, result.stderr[-3000:]
        assert not [p for _, p, _ in site.request_log if "PAGEN" in p]
        assert_archive_matches(db, site)


def test_dates_from_the_list_when_article_pages_show_none(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="unseen", articles_per_lang=25) as site:
        result = crawl(db, site.start_urls)
        # Healthy: the dates beside the links count (it exited 5 when they did not).
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert_archive_matches(db, site)
    rows = stored_articles(db)
    listed = [r for r in rows if "/kz/" not in r["url"]]
    assert listed and all(r["published_source"] == "list" for r in listed if r["published_raw"])
    assert all(r["views_source"] == "list" for r in listed if r["views"] is not None)
    assert all(r["category_source"] == "list" for r in listed)
    # The article page's own date wins where it has one (the reverse-numbered kk list).
    assert all(r["published_source"] == "page" for r in rows if "/kz/" in r["url"])
    # <html lang="en"> on every language version: the URL and the text decide.
    assert {r["lang"] for r in rows if "/ru/" in r["url"]} == {"ru"}
    # The link-only call-to-action inside the text block is not text.
    words = [w for texts in CALL_TO_ACTION.values() for w in texts]
    assert not [r["url"] for r in rows if any(w in (r["body"] or "") for w in words)]


def test_list_dates_survive_a_refresh_that_cannot_see_the_list(tmp_path):
    """A refresh fetches recent articles from their URL, without the list's values:
    the dates and counters the list gave are kept, not erased."""
    db = tmp_path / "archive.db"
    with FixtureSite(layout="unseen", articles_per_lang=25) as site:
        assert crawl(db, site.start_urls).returncode == 0
        before = {r["url"]: r for r in stored_articles(db)}
        recent = [url for urls in site.fault_urls().values() for url in urls if "/ru/" in url]
        result = crawl(db, site.start_urls, "--refresh-days", "3")
        assert result.returncode == 0, result.stderr[-3000:]
        after = {r["url"]: r for r in stored_articles(db)}
    assert recent
    for url, row in before.items():
        for name in ("published", "published_raw", "published_source", "views", "category"):
            assert after[url][name] == row[name], (url, name)


def test_inspect_shows_what_each_list_item_says_and_what_robots_forbid():
    with FixtureSite(layout="unseen", robots="bitrix", articles_per_lang=25) as site:
        expected = {r["url"]: r for r in site.expected_articles()}
        result = news_archive("inspect", site.start_urls[0])
        assert result.returncode == 0, result.stderr[-2000:]
        found = json.loads(result.stdout)
    links = found["links"]
    assert [link["url"] for link in links] == found["article_urls"]
    assert len(links) == 10
    checked = 0
    for link in links:
        want = expected.get(link["url"])
        if "index.php" in link["url"]:  # a legacy URL: the stock robots.txt bars it
            assert link["robots"] == "forbidden"
            continue
        if want is None:  # the 404 item
            continue
        assert link["date_raw"] == want["published_raw"]
        assert link["views_raw"] == want["views_raw"]
        assert link["category"] == want["category"]
        assert link["robots"] == "allowed"
        checked += 1
    assert checked >= 8
    # the stock Bitrix robots.txt bars the pager
    assert found["next_url"].endswith("/ru/news/?PAGEN_1=2")
    assert found["next_url_robots"] == "forbidden"
