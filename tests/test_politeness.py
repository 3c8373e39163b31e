"""Politeness and bounds, unit level: Retry-After, failure kinds, sitemap safety, the
site's clock for relative dates, the verdict on stopped runs."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from crawler.extract.fetched_page import extract_article, site_clock
from crawler.extract.sitemap_body import RefusedSitemap, sitemap_xml
from crawler.fixture_site.hostile import article_html
from crawler.health import EXIT_UNHEALTHY, assess
from crawler.middlewares import retry_after_seconds
from crawler.settings import (
    DOWNLOAD_MAXSIZE,
    DOWNLOAD_TIMEOUT,
    REMOTE_CONTROL_ENABLED,
    TELNETCONSOLE_ENABLED,
)

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (b"120", 120.0),
        (" 5 ", 5.0),
        (b"Sun, 01 Mar 2026 12:01:30 GMT", 90.0),
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),  # in the past: no wait
        (b"soon", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_an_http_date(value, seconds):
    """Before: only digits were understood; an HTTP date was ignored."""
    assert retry_after_seconds(value, NOW) == seconds


def test_no_listening_socket_and_news_sized_caps():
    assert TELNETCONSOLE_ENABLED is False
    assert REMOTE_CONTROL_ENABLED is False
    assert DOWNLOAD_MAXSIZE <= 16 * 1024 * 1024
    assert DOWNLOAD_TIMEOUT <= 30


def test_a_gzip_sitemap_is_unpacked_with_a_cap():
    """Before: gzip.decompress without a limit."""
    xml = b'<?xml version="1.0"?><urlset><url><loc>http://x/a/</loc></url></urlset>'
    assert sitemap_xml(gzip.compress(xml), 1000) == xml
    bomb = gzip.compress(b"<urlset>" + b" " * 100_000)
    with pytest.raises(RefusedSitemap, match="more than 1000 bytes"):
        sitemap_xml(bomb, 1000)
    with pytest.raises(RefusedSitemap, match="broken gzip"):
        sitemap_xml(b"\x1f\x8b" + b"junk" * 10, 1000)


def test_a_sitemap_with_entities_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]><urlset><url><loc>&lol2;</loc></url></urlset>'
    )
    with pytest.raises(RefusedSitemap, match="DTD"):
        sitemap_xml(laughs, 10_000)


def relative_article(date_text: str) -> bytes:
    return article_html("x", "a1").replace("24.08.2022", date_text).encode("utf-8")


@pytest.mark.parametrize(
    ("fetched_at", "today"),
    [
        ("2026-03-01T18:59:00Z", "2026-03-01"),  # 23:59 in Astana
        ("2026-03-01T19:00:00Z", "2026-03-02"),  # 00:00 in Astana, still 1 March in UTC
        ("2026-03-01T23:30:00Z", "2026-03-02"),
    ],
)
def test_relative_dates_are_read_on_the_sites_clock(fetched_at, today):
    """Before: the machine's local clock; on a UTC cron host an evening Astana post was
    dated a day early."""
    url = "https://assembly.kz/ru/news/a1/"
    _, article = extract_article(
        relative_article("Сегодня, 10:15"),
        "utf-8",
        url,
        url,
        fetched_at,
        None,
        time_zone="Asia/Almaty",
    )
    assert article.published == f"{today}T10:15"
    _, article = extract_article(
        relative_article("Вчера"), "utf-8", url, url, fetched_at, None, time_zone="Asia/Almaty"
    )
    assert article.published == ("2026-02-28" if today == "2026-03-01" else "2026-03-01")


def test_site_clock():
    assert site_clock("2026-03-01T19:00:00Z", "Asia/Almaty") == datetime(2026, 3, 2, 0, 0)
    assert site_clock("2026-03-01T19:00:00Z", None) is None


def test_a_refusing_host_and_an_endless_pager_are_unhealthy():
    stopped = assess({"host_refused": "x refused 10 requests in a row"}, "host_refused")
    assert (stopped.exit_code, stopped.status) == (EXIT_UNHEALTHY, "unhealthy")
    assert stopped.reasons == ["stopped: x refused 10 requests in a row"]
    figures = {"list_pages": 5, "article_links": 15, "list_bound": "stopped walking"}
    assert assess(figures).reasons == ["stopped walking"]
    figures = {"list_pages": 1, "article_links": 3, "odd_answers": 2}
    assert assess(figures).exit_code == EXIT_UNHEALTHY


def test_a_memory_error_is_never_an_ok_run():
    figures = {"list_pages": 1, "article_links": 3, "memory_errors": 1}
    assert assess(figures).reasons == ["ran out of memory on 1 pages"]


class FakeSlot:
    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lastseen = 0.0


def backoff_middleware(**settings):
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import BackoffRetryMiddleware

    return BackoffRetryMiddleware(get_crawler(settings_dict=settings))


def test_a_hold_delays_the_slot_and_the_pace_recovers_gradually():
    """Before: the refused request slept alone; the slot kept its pace."""
    import time

    middleware = backoff_middleware(DOWNLOAD_DELAY=0.5)
    slot = FakeSlot(0.5)
    before = time.monotonic()
    middleware.hold("host", slot, 30.0)
    assert slot.lastseen >= before + 30.0  # Scrapy sends nothing before lastseen + delay
    assert slot.delay == 1.0
    delays = []
    for _ in range(4):
        middleware.recover("host", slot)
        delays.append(slot.delay)
    assert delays == [0.75, 0.5625, 0.5, 0.5]  # gradually, never below DOWNLOAD_DELAY
