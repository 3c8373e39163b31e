"""List extraction replayed on saved pages (``pages/list_*.html`` + ``.json``), plus
focused cases for the next-page rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract.classify import extract_page
from crawler.extract.fetched_page import extract_list
from crawler.extract.list_page import ListPage, extract_list_page
from crawler.extract.overrides import Selectors

PAGES = Path(__file__).parent / "sample_data" / "pages"
LISTS = sorted(PAGES.glob("list_*.json"))


def _load(path: Path) -> tuple[str, dict]:
    return path.with_suffix(".html").read_text(encoding="utf-8"), json.loads(
        path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.stem)
def test_list_fixture(path: Path) -> None:
    html, expected = _load(path)
    page = extract_list_page(html, expected["url"])
    assert page.article_urls == expected["article_urls"]
    assert page.next_url == expected["next_url"]


LISTED = [p for p in LISTS if "listed" in json.loads(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", LISTED, ids=lambda p: p.stem)
def test_what_list_items_show(path: Path) -> None:
    """What each item shows beside its link (saved pages whose JSON says), as the crawl
    reads it (:func:`crawler.extract.fetched_page.extract_list`)."""
    html, expected = _load(path)
    page = extract_list(html.encode(), "utf-8", expected["url"], None)
    shown = ("date_raw", "views_raw", "category")
    found = {
        url: {name: getattr(fields, name) for name in shown}
        for url, fields in page.listed.items()
        if any(getattr(fields, name) for name in shown)
    }
    wanted = {url: fields for url, fields in expected["listed"].items() if any(fields.values())}
    # each item also knows the titles of the other items of the page
    for url, fields in page.listed.items():
        assert len(fields.other_titles) == len(expected["article_urls"]) - 1, url
    assert found == wanted


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.stem)
def test_list_fixture_is_list(path: Path) -> None:
    html, expected = _load(path)
    assert extract_page(html, expected["url"])[0] == "list"


def test_article_pages_are_not_lists() -> None:
    for path in sorted(PAGES.glob("article_*.json")):
        html, expected = _load(path)
        assert extract_page(html, expected["url"])[0] != "list", path.name


def test_fixture_set_is_complete() -> None:
    assert len(LISTS) >= 6
    for path in LISTS:
        _html, expected = _load(path)
        keys = {"url", "page_type", "article_urls", "next_url"}
        assert keys <= set(expected) <= keys | {"listed"}, path.name


# ----------------------------------------------------------------- focused cases

LIST_URL = "https://site.kz/ru/news/"


def _list(pager: str, url: str = LIST_URL, items: int = 3) -> ListPage:
    cards = "".join(
        f'<div class="it"><a href="/ru/news/news-{n}/">Заголовок новости номер {n}</a></div>'
        for n in range(items)
    )
    return extract_list_page(f"<html><body><div class='l'>{cards}</div>{pager}</body></html>", url)


@pytest.mark.parametrize(
    ("pager", "url", "expected"),
    [
        # numbering fallback: current page from the URL, next = current + 1
        (
            '<div class="pager"><a href="?PAGEN_1=1">1</a> <b>2</b>'
            ' <a href="?PAGEN_1=3">3</a></div>',
            LIST_URL + "?PAGEN_1=2",
            LIST_URL + "?PAGEN_1=3",
        ),
        # reverse numbering without a next link: bare URL shows the highest page
        (
            '<div class="pager"><span class="current">57</span> <a href="?PAGEN_1=56">56</a>'
            ' <a href="?PAGEN_1=55">55</a></div>',
            LIST_URL,
            LIST_URL + "?PAGEN_1=56",
        ),
        # "Конец" / "End" is not next
        ('<font class="text"><b>3</b> | <a href="?PAGEN_1=3">Конец</a></font>', None, None),
        ('<div class="pager"><a href="?PAGEN_1=9">End</a></div>', None, None),
        # rel=next in the head wins
        ('<link rel="next" href="/ru/news/?nav-feed=page-4">', None, LIST_URL + "?nav-feed=page-4"),
        # a "next" link back to the current page means: no next page
        (
            '<ul class="pagination"><li class="next"><a href="?PAGEN_1=5">›</a></li></ul>',
            LIST_URL + "?PAGEN_1=5",
            None,
        ),
        # arrows: › is next, » is last when both are present
        (
            '<ul class="pagination"><li><a href="?PAGEN_1=2">›</a></li>'
            '<li><a href="?PAGEN_1=40">»</a></li></ul>',
            None,
            LIST_URL + "?PAGEN_1=2",
        ),
        # Kazakh and English words
        ('<div class="pages"><a href="?PAGEN_1=2">Келесі</a></div>', None, LIST_URL + "?PAGEN_1=2"),
        (
            '<div class="pages"><a href="?PAGEN_1=2">Next &raquo;</a></div>',
            None,
            LIST_URL + "?PAGEN_1=2",
        ),
        # a "Далее" (read more) link outside any pager is not pagination
        ('<a href="/ru/news/news-1/">Далее</a>', None, None),
        # D7 SEF pagination in the path
        (
            '<div class="bx-pagination"><ul><li class="bx-pag-next">'
            '<a href="/ru/news/nav-news/page-2/">Вперед</a></li></ul></div>',
            None,
            LIST_URL + "nav-news/page-2/",
        ),
    ],
)
def test_next_page(pager: str, url: str | None, expected: str | None) -> None:
    assert _list(pager, url or LIST_URL).next_url == expected


#: The stock ``.default`` pager with ``bDescPageNumbering``: numbers fall, "След." goes
#: down, "Конец" is page 1 (the oldest), "Начало" the bare URL (the newest).
def _reverse_pager(current: int, pages: int) -> str:
    def href(n: int) -> str:
        return "/ru/news/" if n == pages else f"/ru/news/?PAGEN_1={n}"

    numbers = " ".join(
        f"<b>{n}</b>" if n == current else f'<a href="{href(n)}">{n}</a>'
        for n in range(min(pages, current + 2), max(0, current - 3), -1)
    )
    nxt = f'<a href="{href(current - 1)}">След.</a>' if current > 1 else "След."
    prev = f'<a href="{href(current + 1)}">Пред.</a>' if current < pages else "Пред."
    return (
        f'<font class="text"><a href="/ru/news/">Начало</a> | {prev} | {numbers} | {nxt}'
        f' | <a href="/ru/news/?PAGEN_1=1">Конец</a></font>'
    )


def _stock_reverse_pager(current: int, pages: int) -> str:
    """The stock ``system.pagenavigation/.default`` with ``bDescPageNumbering``: the
    links' numbers fall but their labels rise (``?PAGEN_1=4`` of 5 reads "2")."""

    def href(n: int) -> str:
        return "/ru/news/" if n == pages else f"/ru/news/?PAGEN_1={n}"

    head = "Начало&nbsp;|&nbsp;Пред.&nbsp;|"
    if current < pages:
        head = f'<a href="/ru/news/">Начало</a> | <a href="{href(current + 1)}">Пред.</a> |'
    numbers = " ".join(
        f"<b>{pages - n + 1}</b>" if n == current else f'<a href="{href(n)}">{pages - n + 1}</a>'
        for n in range(pages, 0, -1)
    )
    tail = "След.&nbsp;|&nbsp;Конец"
    if current > 1:
        tail = f'<a href="{href(current - 1)}">След.</a> | <a href="{href(1)}">Конец</a>'
    return f'<font class="text">1 - 10 из 50<br />{head} {numbers} | {tail}</font>'


@pytest.mark.parametrize("render", [_reverse_pager, _stock_reverse_pager])
@pytest.mark.parametrize("with_words", [True, False])
def test_reverse_numbering_reaches_page_one(with_words: bool, render) -> None:
    """Newest page (bare URL) → … → ``?PAGEN_1=1``, the oldest: page 1 is not the bare URL."""
    pages, url, walked = 3, LIST_URL, []
    while url and len(walked) < 5:
        walked.append(url)
        number = pages if url == LIST_URL else int(url.rsplit("=", 1)[1])
        pager = render(number, pages)
        if not with_words:  # numbers only: the numbering fallback must count down
            pager = pager.replace("След.", "").replace("Пред.", "").replace("Конец", "")
        url = _list(pager, url).next_url
    assert walked == [LIST_URL, LIST_URL + "?PAGEN_1=2", LIST_URL + "?PAGEN_1=1"]


def test_newest_page_of_two_links_to_page_one() -> None:
    """The ``inspect`` of a two-page reverse list showed ``next_url: null``."""
    assert _list(_reverse_pager(2, 2)).next_url == LIST_URL + "?PAGEN_1=1"


def test_article_links_override() -> None:
    html = (
        "<html><body><div class='l'>"
        '<a class="x" href="/other/outside-the-section/">Другая рубрика</a>'
        '<a class="x" href="/ru/news/a/">Новость А с длинным заголовком</a>'
        '<a class="x" href="/ru/news/rss/">RSS</a>'
        "</div></body></html>"
    )
    page = extract_list_page(html, LIST_URL, Selectors(article_links="a.x"))
    assert page.article_urls == ["https://site.kz/other/outside-the-section/", LIST_URL + "a/"]
    generic = extract_list_page(html, LIST_URL)
    assert generic.article_urls == [LIST_URL + "a/"]


def test_next_page_override() -> None:
    pager = '<span class="more-news" data-x="1"><a href="/ru/news/?page=2">ещё</a></span>'
    page = extract_list_page(
        f"<html><body>{pager}</body></html>", LIST_URL, Selectors(next_page="span.more-news a")
    )
    assert page.next_url == LIST_URL + "?page=2"


def test_no_list_no_links() -> None:
    assert extract_list_page("", LIST_URL) == ListPage([], None)
    assert extract_page("<html><body><p>Пусто</p></body></html>", LIST_URL)[0] != "list"
