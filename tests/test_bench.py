"""Smoke test of the benchmark's machinery (``bench/``): the bare spider fetches every
page the crawler stores, and the request clock and request kinds work."""

from __future__ import annotations

from urllib.parse import urlsplit

from bench import children, crawl
from crawler.fixture_site import FixtureSite


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_bare_spider_fetches_every_expected_article():
    with FixtureSite(layout="mixed", articles_per_lang=12) as site:
        clock = crawl.RequestClock(site)
        child = children.python(*crawl.bare_command(site)).check()
        requests, window = clock.window()
        fetched = {path for _method, path, _status in site.request_log}
        expected = {_path(a["url"]) for a in site.expected_articles()}
    assert requests == len(site.request_log) and window > 0
    assert child.peak_rss_mb > 20
    # Tracking parameters stay on the bare spider's URLs: compare by prefix.
    missing = {path for path in expected if not any(f.startswith(path) for f in fetched)}
    assert not missing
    kinds = {crawl.classify(path) for path in fetched}
    assert {"robots", "list:ru", "list:kz", "list:en", "article"} <= kinds
