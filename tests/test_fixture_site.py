"""The local fixture site, fetched over real HTTP with ``urllib``."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector
from protego import Protego
from w3lib.url import canonicalize_url, url_query_cleaner

from crawler.fixture_site import FixtureSite
from crawler.fixture_site.content import build_archive

#: A real crawl, server or subprocess: deselect with -m "not e2e".
pytestmark = pytest.mark.e2e

LAYOUTS = ["default", "custom", "modern", "mixed"]
LANGS = ["ru", "kk", "en"]
NEXT_LINK = (
    "//a[contains(@class, 'modern-page-next')]/@href"
    " | //li[contains(@class, 'bx-pag-next')]/a/@href"
    " | //font[@class='text']/a[text()='След.' or text()='Next']/@href"
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Status, headers and body of ``url``; redirects are not followed."""
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def text(url: str) -> str:
    """The page at ``url`` (retried past 503s); no charset header means windows-1251."""
    for _ in range(3):
        status, headers, body = fetch(url)
        if status != 503:
            break
    assert status == 200, (url, status)
    return body.decode(headers.get_content_charset() or "cp1251")


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as running:
        yield running


@pytest.fixture(scope="module")
def expected(site: FixtureSite) -> list[dict]:
    return site.expected_articles()


def by_lang(records: list[dict], lang: str) -> list[dict]:
    return [r for r in records if r["lang"] == lang]


def test_serves_three_lists(site: FixtureSite) -> None:
    assert site.start_urls == [
        f"{site.url}/ru/news/",
        f"{site.url}/kz/news/",
        f"{site.url}/en/news/",
    ]
    for url, lang in zip(site.start_urls, LANGS, strict=True):
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=UTF-8"
        assert re.search(rf'<html[^>]* lang="{lang}"', body.decode())


def test_page_one_is_the_bare_url(site: FixtureSite) -> None:
    ru, kk, en = site.start_urls
    assert text(ru) == text(ru + "?PAGEN_1=1")
    assert text(kk) == text(kk + "?PAGEN_1=1")
    assert text(en) == text(en + "?nav-news=page-1")


def test_out_of_range_page_serves_the_last_page(site: FixtureSite) -> None:
    ru = site.start_urls[0]
    assert text(ru + "?PAGEN_1=999") == text(ru + "?PAGEN_1=7")


def test_keep_alive(site: FixtureSite) -> None:
    connection = http.client.HTTPConnection(urlsplit(site.url).netloc, timeout=5)
    for path in ("/ru/news/", "/robots.txt", "/ru/news/?PAGEN_1=2"):
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200
        assert len(response.read()) == int(response.headers["Content-Length"])
    connection.close()


def crawl_lists(start: str) -> tuple[set[str], int]:
    """Article links (canonical, legacy URLs resolved) on the pager chain from ``start``."""
    section = urlsplit(start).path
    found, url, pages = set(), start, 0
    while url and pages < 50:
        page = Selector(text=text(url))
        pages += 1
        for href in page.css("a::attr(href)").getall():
            link = urljoin(url, href)
            path = urlsplit(link).path
            if (
                not path.startswith(section)
                or path == section
                or re.search(r"/(rss|search)/", path)
            ):
                continue
            link = url_query_cleaner(
                link, ["utm_source", "utm_medium", "utm_campaign"], remove=True
            )
            if "index.php" in link or re.search(r"/old-\d+\.php$", link):
                status, headers, _ = fetch(link)
                assert status == 301
                link = headers["Location"]
            found.add(canonicalize_url(link))
        next_href = page.xpath(NEXT_LINK).get()
        url = urljoin(url, next_href) if next_href else ""
    return found, pages


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pager_chain_reaches_every_article(layout: str) -> None:
    with FixtureSite(layout=layout, articles_per_lang=30) as site:
        expected = site.expected_articles()
        missing = site.fault_urls()["missing"]
        for lang, start, lost in zip(LANGS, site.start_urls, missing, strict=True):
            found, pages = crawl_lists(start)
            assert pages == 4  # 30 articles + the 404 item, 10 a page
            assert found == {r["url"] for r in by_lang(expected, lang)} | {lost}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pages_show_the_expected_records(layout: str) -> None:
    with FixtureSite(layout=layout, articles_per_lang=20) as site:
        for record in site.expected_articles():
            page = text(record["url"])
            words = " ".join(Selector(text=page).xpath("string(//body)").get().split())
            shown = [record["title"], record["published_raw"], *record["body"].split("\n\n")]
            shown += [record["views_raw"] or "", record["category"] or ""]
            assert all(part in words for part in shown), record["url"]
            for image in record["image_urls"]:
                assert f'src="{image.removeprefix(site.url)}"' in page


def test_seed_article(site: FixtureSite, expected: list[dict]) -> None:
    (seed,) = [r for r in expected if r["title"] == "Семинар в Индерском районе"]
    assert seed["lang"] == "ru" and seed["views"] == 409
    assert seed["published"] == "2022-08-24" and seed["published_raw"] == "24 Августа, 2022"
    assert seed["category"] == "Ассамблея народа Казахстана"
    assert len(seed["body"].split("\n\n")) == 5
    page = text(seed["url"])
    assert "Семинар в Индерском районе" in page and "409" in page


def test_expected_records(expected: list[dict], site: FixtureSite) -> None:
    assert len(expected) >= 180
    urls = [r["url"] for r in expected]
    assert len(set(urls)) == len(urls)
    assert all(canonicalize_url(u) == u for u in urls)
    keys = {"url", "lang", "title", "published", "published_raw", "views", "views_raw"}
    keys |= {"body", "category", "image_urls"}
    assert all(set(r) == keys for r in expected)
    assert any("?ELEMENT_ID=" in u for u in urls) and any(re.search(r"/\d+/$", u) for u in urls)
    assert [r["published"] for r in expected if r["published_raw"] == "Дата уточняется"] == [None]
    no_views = [r for r in expected if r["views"] is None]
    assert len(no_views) == 3 and all(r["views_raw"] is None for r in no_views)
    assert any((r["views"] or 0) >= 1000 for r in expected)
    assert not any("\u00a0" in (r["views_raw"] or "") for r in expected)


@pytest.mark.parametrize(
    ("lang", "stem", "forms"),
    [
        ("ru", "медиаци", ["медиации", "медиацию", "медиация"]),
        ("kk", "татулық", ["татулық", "татулықты", "татулықтың"]),
    ],
)
def test_probe_words_inflect(expected: list[dict], lang: str, stem: str, forms: list[str]) -> None:
    found = [set(re.findall(rf"\b{stem}\w*", r["body"])) for r in by_lang(expected, lang)]
    for form in forms:
        assert {form} in found


def test_windows_1251_page(site: FixtureSite, expected: list[dict]) -> None:
    (url,) = site.fault_urls()["windows_1251"]
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("cp1251")
    assert 'content="text/html; charset=windows-1251"' in page
    (record,) = [r for r in expected if r["url"] == url]
    assert record["title"] in page


def test_unavailable_then_ok() -> None:
    with FixtureSite() as site:
        ru, kk, _ = site.fault_urls()["unavailable"]
        assert [fetch(ru)[0] for _ in range(2)] == [503, 200]
        assert [fetch(kk)[0] for _ in range(3)] == [503, 503, 200]
        page_2 = site.start_urls[2] + "?nav-news=page-2"
        assert [fetch(page_2)[0] for _ in range(3)] == [503, 503, 200]
        assert (
            "GET",
            "/en/news/?nav-news=page-2",
            503,
        ) in site.request_log


def test_redirect_and_not_found(site: FixtureSite) -> None:
    faults = site.fault_urls()
    for legacy, target in zip(faults["legacy"], faults["redirect"], strict=True):
        status, headers, _ = fetch(legacy)
        assert status == 301 and headers["Location"] == target
        assert fetch(target)[0] == 200
    for url in faults["missing"]:
        assert fetch(url)[0] == 404
    assert faults["missing"][0].removeprefix(site.url) in text(site.start_urls[0] + "?PAGEN_1=2")


def test_tracking_links_and_fragments(site: FixtureSite) -> None:
    page = text(site.start_urls[0])
    assert "?utm_source=telegram&amp;utm_medium=social" in page
    assert "#comments" in page


def test_non_article_pages(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url + "/ru/news/rss/")
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert body.startswith(b"<?xml") and b"utm_source=rss" in body
    assert "search-item" in text(site.url + "/ru/news/search/?q=%D0%BC%D0%B5%D0%B4%D0%B8%D0%B0")
    assert "news-card" in text(site.url + "/ru/news/?tag=novosti-regionov")
    assert fetch(site.url + "/ru/analitika/")[0] == 200
    status, headers, body = fetch(site.url + "/upload/iblock/abc/" + "0" * 32 + ".jpg")
    assert status == 200 and headers["Content-Type"] == "image/jpeg" and body[:2] == b"\xff\xd8"


@pytest.mark.parametrize("mode", ["open", "bitrix"])
def test_robots(mode: str) -> None:
    with FixtureSite(robots=mode, articles_per_lang=12) as site:
        robots = text(site.url + "/robots.txt")
        assert f"Sitemap: {site.url}/sitemap.xml" in robots
        parser = Protego.parse(robots)
        assert not parser.can_fetch(site.url + "/bitrix/admin/", "*")
        assert parser.can_fetch(site.start_urls[0], "*")
        paged = parser.can_fetch(site.start_urls[0] + "?PAGEN_1=2", "*")
        assert paged is (mode == "open")


def sitemap_urls(site: FixtureSite) -> dict[str, list[str]]:
    """Each sitemap of the index, by file name, with its ``<loc>`` URLs."""
    index = Selector(text=text(site.url + "/sitemap.xml"), type="xml")
    index.remove_namespaces()
    found = {}
    for loc in index.xpath("//sitemap/loc/text()").getall():
        sitemap = Selector(text=text(loc), type="xml")
        sitemap.remove_namespaces()
        found[loc.rsplit("/", 1)[1]] = sitemap.xpath("//url/loc/text()").getall()
    return found


def test_sitemaps_list_the_expected_urls(site: FixtureSite, expected: list[dict]) -> None:
    found = sitemap_urls(site)
    for lang, name in zip(LANGS, ["5", "12", "19"], strict=True):
        assert found[f"sitemap_iblock_{name}.xml"] == [r["url"] for r in by_lang(expected, lang)]
    assert len(found["sitemap_iblock_6.xml"]) == 6
    assert f"{site.url}/ru/news/" in found["sitemap_files.xml"]


def test_phase_2() -> None:
    with FixtureSite(articles_per_lang=20) as site:
        before = site.expected_articles()
        page_1 = Selector(text=text(site.start_urls[0])).css(".news-card::attr(id)").getall()
        lastmods = text(site.url + "/sitemap_iblock_5.xml")
        site.set_phase(2)
        after = site.expected_articles()
        shifted = Selector(text=text(site.start_urls[0])).css(".news-card::attr(id)").getall()
        assert shifted[3:] == page_1[:7]
        assert len(after) == len(before) + 9
        old = {r["url"]: r for r in before}
        edited = [r for r in after if r["url"] in old and r["body"] != old[r["url"]]["body"]]
        assert [r["url"] for r in edited] == site.fault_urls()["edited"]
        assert all(
            r["views"] > old[r["url"]]["views"] for r in after if r["url"] in old and r["views"]
        )
        assert edited[0]["body"].split("\n\n")[0] in text(edited[0]["url"])
        assert text(site.url + "/sitemap_iblock_5.xml") != lastmods
        assert "2024-12-04T16:30:00+05:00" in text(site.url + "/sitemap_iblock_5.xml")


def test_request_log(site: FixtureSite) -> None:
    site.clear_log()
    fetch(site.url + "/robots.txt")
    fetch(site.url + "/nowhere/?x=1")
    assert site.request_log == [("GET", "/robots.txt", 200), ("GET", "/nowhere/?x=1", 404)]


def test_generation_is_deterministic() -> None:
    assert build_archive(30) == build_archive(30)
    archive = build_archive(2000)
    assert sum(len(archive.phases[1].articles(lang)) for lang in LANGS) == 6000


def test_generates_more_articles_than_the_title_pools_hold() -> None:
    """The Russian pools hold about 6,000 titles: asking for more used to hang."""
    archive = build_archive(6500)
    for lang in LANGS:
        titles = [story.title for story in archive.phases[1].articles(lang)]
        assert len(titles) == len(set(titles)) == 6500
