"""Table tests for :mod:`crawler.extract.urls`."""

from __future__ import annotations

import pytest

from crawler.extract.urls import (
    canonical_url,
    in_section,
    is_pagination_url,
    looks_like_article_url,
    on_start_host,
    section_prefix,
)

LIST = "https://assembly.kz/ru/news/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://assembly.kz/ru/news/", "https://assembly.kz/ru/news/"),
        ("HTTPS://Assembly.KZ:443/ru/news/", "https://assembly.kz/ru/news/"),
        ("http://assembly.kz:80/ru/news/", "http://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news/#top", "https://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news/?", "https://assembly.kz/ru/news/"),
        # page 1 keeps its number: under reverse numbering it is the oldest page, not
        # the bare URL's (newest) one
        ("https://assembly.kz/ru/news/?PAGEN_1=1", "https://assembly.kz/ru/news/?PAGEN_1=1"),
        ("https://assembly.kz/ru/news/?PAGEN_2=1", "https://assembly.kz/ru/news/?PAGEN_2=1"),
        (
            "https://assembly.kz/ru/news/?nav-news=page-1",
            "https://assembly.kz/ru/news/?nav-news=page-1",
        ),
        # the paged view itself is the bare URL
        ("https://assembly.kz/ru/news/?SHOWALL_1=0", "https://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news/?PAGEN_1=2", "https://assembly.kz/ru/news/?PAGEN_1=2"),
        (
            "https://assembly.kz/ru/news/?nav-news=page-2",
            "https://assembly.kz/ru/news/?nav-news=page-2",
        ),
        # tracking parameters
        (
            "https://assembly.kz/ru/news/a/?utm_source=tg&utm_medium=post&utm_campaign=x",
            "https://assembly.kz/ru/news/a/",
        ),
        (
            "https://assembly.kz/ru/news/a/?fbclid=IwAR0&gclid=1&yclid=2",
            "https://assembly.kz/ru/news/a/",
        ),
        (
            "https://assembly.kz/ru/news/a/?_openstat=abc&from=main",
            "https://assembly.kz/ru/news/a/",
        ),
        ("https://assembly.kz/ru/news/a/?PHPSESSID=0a1b2c", "https://assembly.kz/ru/news/a/"),
        ("https://assembly.kz/ru/news/a/?clear_cache=Y", "https://assembly.kz/ru/news/a/"),
        ("https://assembly.kz/ru/news/a/?sphrase_id=4411", "https://assembly.kz/ru/news/a/"),
        (
            "https://assembly.kz/ru/news/a/?back_url_admin=%2Fbitrix%2F",
            "https://assembly.kz/ru/news/a/",
        ),
        # meaningful parameters stay, sorted
        (
            "https://site.kz/news/index.php?utm_source=x&ELEMENT_ID=5&IBLOCK_ID=2",
            "https://site.kz/news/index.php?ELEMENT_ID=5&IBLOCK_ID=2",
        ),
        # percent-encoding is normalised
        (
            "https://site.kz/ru/новости/",
            "https://site.kz/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/",
        ),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("https://assembly.kz/ru/news/", "https://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news/index.php", "https://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news", "https://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news/?PAGEN_1=3", "https://assembly.kz/ru/news/"),
        ("https://assembly.kz/ru/news/nav-news/page-3/", "https://assembly.kz/ru/news/"),
        ("https://Assembly.KZ/news/", "https://assembly.kz/news/"),
    ],
)
def test_section_prefix(start: str, expected: str) -> None:
    assert section_prefix(start) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://assembly.kz/ru/news/seminar/", True),
        ("https://www.assembly.kz/ru/news/seminar/", True),
        ("http://assembly.kz/ru/news/seminar/", True),
        ("https://assembly.kz/ru/news/", True),
        ("https://assembly.kz/ru/newsletter/", False),
        ("https://assembly.kz/kz/news/seminar/", False),
        ("https://other.kz/ru/news/seminar/", False),
        ("https://assembly.kz/ru/", False),
    ],
)
def test_in_section(url: str, expected: bool) -> None:
    assert in_section(url, "https://assembly.kz/ru/news/index.php") is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://site.kz/news/?PAGEN_1=2", True),
        ("https://site.kz/news/?PAGEN_2=15&sort=date", True),
        ("https://site.kz/news/?SHOWALL_1=1", True),
        ("https://site.kz/news/?nav-news=page-3", True),
        ("https://site.kz/news/?nav-feed=page-all", True),
        ("https://site.kz/news/nav-news/page-3/", True),
        ("https://site.kz/news/", False),
        ("https://site.kz/news/page-of-history/", False),
        ("https://site.kz/news/?ELEMENT_ID=5", False),
        ("https://site.kz/news/?nav=main", False),
    ],
)
def test_is_pagination_url(url: str, expected: bool) -> None:
    assert is_pagination_url(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # detail URL shapes
        ("https://assembly.kz/ru/news/seminar-v-inderskom-rayone/", True),
        ("https://assembly.kz/ru/news/2871/", True),
        ("https://assembly.kz/ru/news/regiony/seminar/", True),
        ("https://assembly.kz/ru/news/seminar.php", True),
        ("https://assembly.kz/ru/news/seminar.html", True),
        ("https://assembly.kz/ru/news/?ELEMENT_ID=2871", True),
        ("https://assembly.kz/ru/news/index.php?ELEMENT_ID=2871", True),
        ("https://assembly.kz/ru/news/detail.php?ELEMENT_CODE=seminar", True),
        ("https://assembly.kz/ru/news/seminar/?utm_source=tg", True),
        ("https://www.assembly.kz/ru/news/seminar/", True),
        # the list itself and its pages
        ("https://assembly.kz/ru/news/", False),
        ("https://assembly.kz/ru/news", False),
        ("https://assembly.kz/ru/news/index.php", False),
        ("https://assembly.kz/ru/news/?PAGEN_1=2", False),
        ("https://assembly.kz/ru/news/?nav-news=page-2", False),
        ("https://assembly.kz/ru/news/?SHOWALL_1=1", False),
        ("https://assembly.kz/ru/news/nav-news/page-2/", False),
        ("https://assembly.kz/ru/news/regiony/index.php", False),
        ("https://assembly.kz/ru/news/?SECTION_ID=3", False),
        # service pages
        ("https://assembly.kz/ru/news/rss/", False),
        ("https://assembly.kz/ru/news/rss.php", False),
        ("https://assembly.kz/ru/news/search/?q=test", False),
        ("https://assembly.kz/ru/news/?tag=медиация", False),
        ("https://assembly.kz/ru/news/tags/kultura/", False),
        ("https://assembly.kz/ru/news/?q=семинар", False),
        ("https://assembly.kz/ru/news/seminar/?print=Y", False),
        ("https://assembly.kz/ru/news/?ELEMENT_ID=5&print=Y", False),
        ("https://assembly.kz/ru/news/?set_filter=Y&arrFilter_DATE_1=01.01.2022", False),
        # files
        ("https://assembly.kz/ru/news/photo.jpg", False),
        ("https://assembly.kz/ru/news/docs/plan.PDF", False),
        ("https://assembly.kz/ru/news/sitemap.xml", False),
        # elsewhere
        ("https://assembly.kz/bitrix/admin/", False),
        ("https://assembly.kz/upload/iblock/3f2/a.jpg", False),
        ("https://assembly.kz/ru/analitika/seminar/", False),
        ("https://other.kz/ru/news/seminar/", False),
        # not web links
        ("mailto:press@assembly.kz", False),
        ("javascript:void(0)", False),
        ("#", False),
        ("tel:+77122000000", False),
    ],
)
def test_looks_like_article_url(url: str, expected: bool) -> None:
    assert looks_like_article_url(url, LIST) is expected


def test_looks_like_article_url_from_a_paged_list() -> None:
    paged = "https://assembly.kz/ru/news/?PAGEN_1=4"
    assert looks_like_article_url("https://assembly.kz/ru/news/seminar/", paged)
    assert not looks_like_article_url("https://assembly.kz/ru/news/", paged)


def test_uploads_are_not_articles_even_for_a_site_root_list() -> None:
    root = "https://site.kz/"
    assert looks_like_article_url("https://site.kz/seminar/", root)
    assert not looks_like_article_url("https://site.kz/upload/iblock/a/b.jpg", root)
    assert not looks_like_article_url("https://site.kz/bitrix/rk.php?id=1", root)


def test_require_section_false_keeps_other_rules() -> None:
    assert looks_like_article_url("https://assembly.kz/news/seminar/", LIST, require_section=False)
    assert not looks_like_article_url("https://assembly.kz/news/rss/", LIST, require_section=False)
    assert not looks_like_article_url("https://other.kz/news/x/", LIST, require_section=False)


@pytest.mark.parametrize(
    ("url", "start", "expected"),
    [
        ("https://www.a.kz/ru/news/x/", "https://a.kz/ru/news/", "https://a.kz/ru/news/x/"),
        (
            "http://a.kz/ru/news/x/?y=1",
            "https://www.a.kz/ru/news/",
            "https://www.a.kz/ru/news/x/?y=1",
        ),
        ("https://a.kz:443/ru/news/x/", "https://a.kz/ru/news/", "https://a.kz:443/ru/news/x/"),
        ("https://b.kz/ru/news/x/", "https://a.kz/ru/news/", "https://b.kz/ru/news/x/"),
    ],
)
def test_on_start_host(url, start, expected):
    assert on_start_host(url, start) == expected
