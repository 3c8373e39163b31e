"""Article extraction replayed on saved pages: ``pages/article_*.html`` + ``.json``.

Each JSON file holds the page ``url``, its ``page_type`` and the expected
:class:`~crawler.items.ArticleFields`; every field is checked separately so a failure
names the page and the field. Every saved page (lists and ``other_*`` pages too) is
also classified. The table tests at the end cover :mod:`crawler.extract.text` and
:mod:`crawler.extract.regions`.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract.article.page import extract_article_page
from crawler.extract.classify import extract_page
from crawler.extract.document import ParsedPage
from crawler.extract.overrides import Selectors
from crawler.extract.regions import ASIDE, CHROME, PAGER, SOCIAL
from crawler.extract.text import block_text, normalize_space
from crawler.items import ArticleFields

PAGES = Path(__file__).parent / "sample_data" / "pages"
FIELDS = [f.name for f in dataclasses.fields(ArticleFields)]


def _load(path: Path) -> tuple[str, dict]:
    return path.with_suffix(".html").read_text(encoding="utf-8"), json.loads(
        path.read_text(encoding="utf-8")
    )


ARTICLES = sorted(PAGES.glob("article_*.json"))
ALL_PAGES = sorted(PAGES.glob("*.json"))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_fixture(path: Path, field: str) -> None:
    html, expected = _load(path)
    fields = extract_article_page(html, expected["url"])
    assert getattr(fields, field) == expected[field]


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.stem)
def test_page_type(path: Path) -> None:
    html, expected = _load(path)
    assert extract_page(html, expected["url"])[0] == expected["page_type"]


def test_fixture_set_is_complete() -> None:
    assert len(ARTICLES) >= 6
    for path in ARTICLES:
        _html, expected = _load(path)
        assert set(expected) == {"url", "page_type", *FIELDS}, path.name


SIMPLE = """<html lang="ru"><head><title>Заголовок статьи | Сайт</title></head><body>
<div class="top"><a href="/">Сайт</a></div>
<div class="item-card">
  <div class="when">Дата: 01.02.2023</div>
  <h1>Заголовок статьи</h1>
  <div class="item-text"><p>Первый абзац текста новости, достаточно длинный для блока.</p>
  <p>Второй абзац текста новости, тоже довольно длинный, чтобы набрать вес.</p>
  <p>Третий абзац: итоги встречи и планы на следующий год работы совета.</p></div>
  <div class="item-extra"><span class="mark">Раздел: Культура</span>
  <span class="pics" data-full="/files/photo-1.jpg"></span></div>
</div></body></html>"""
SIMPLE_URL = "https://site.kz/ru/news/zagolovok/"


def test_generic_fields_without_overrides() -> None:
    fields = extract_article_page(SIMPLE, SIMPLE_URL)
    assert fields.title == "Заголовок статьи"
    assert fields.date_raw == "01.02.2023"
    assert fields.views_raw is None
    assert fields.body.split("\n\n")[0].startswith("Первый абзац")
    assert len(fields.body.split("\n\n")) == 3
    assert fields.lang == "ru"


def test_overrides_win_when_they_match() -> None:
    selectors = Selectors(
        title="div.top a",
        date="//div[@class='when']",
        category="span.mark::text",
        body="div.item-text p:first-child",
        views="span.nothing-here",
        images="span.pics::attr(data-full)",
    )
    fields = extract_article_page(SIMPLE, SIMPLE_URL, selectors)
    assert fields.title == "Сайт"
    assert fields.date_raw == "01.02.2023"  # find_date strips the "Дата:" label
    assert fields.category == "Раздел: Культура"
    assert fields.body == "Первый абзац текста новости, достаточно длинный для блока."
    assert fields.views_raw is None  # a selector that matches nothing falls back
    assert fields.image_urls == ["https://site.kz/files/photo-1.jpg"]


def test_empty_page_is_other() -> None:
    assert extract_page("", "https://site.kz/ru/news/x/")[0] == "other"
    assert extract_article_page("", "https://site.kz/ru/news/x/").title is None


RU_TEXT = "В Индерском районе прошёл семинар о профилактике конфликтов. " * 3
KK_TEXT = (
    "Индер ауданында жанжалдың алдын алу туралы семинар өтті. Қатысушылар тәжірибе бөлісті. " * 2
)
RU_WITH_KK_QUOTE = RU_TEXT * 2 + "Конкурс «Тіл – достық тірегі» собрал 24 участника. " + RU_TEXT
EN_TEXT = "A seminar on conflict prevention was held in the Inder district. " * 3


@pytest.mark.parametrize(
    ("markup", "path", "text", "expected"),
    [
        # declarations without text to check them: the most specific wins
        ('<html lang="kz">', "/news/x/", "", "kk"),
        ('<html lang="ru-RU">', "/news/x/", "", "ru"),
        ('<html><head><meta property="og:locale" content="kk_KZ"></head>', "/news/x/", "", "kk"),
        ('<html lang="ru">', "/kz/news/x/", "", "kk"),  # a header shared by every version
        ("<html>", "/en/news/x/", "", "en"),
        ("<html>", "/news/x/", "", None),
        # the text contradicts a declaration: the declaration loses
        ('<html lang="en">', "/news/x/", RU_TEXT, "ru"),  # a theme's default lang
        ('<html lang="ru">', "/news/x/", KK_TEXT, "kk"),
        ('<html lang="ru">', "/ru/news/x/", KK_TEXT, "kk"),  # Kazakh text under /ru/
        ('<html lang="kk">', "/kz/news/x/", EN_TEXT, "en"),
        ("<html>", "/news/x/", RU_TEXT, "ru"),
        # Kazakh words quoted in a Russian text do not make it Kazakh
        ('<html lang="kk">', "/news/x/", RU_WITH_KK_QUOTE, "ru"),
        # Cyrillic text, unsure which: the declaration decides
        (
            '<html lang="kk">',
            "/news/x/",
            "Семинар прошёл в Талдықорған при поддержке акимата области и молодёжи. " * 2,
            "kk",
        ),
        # the hreflang alternate pointing at this very page
        (
            '<html lang="ru"><head><link rel="alternate" hreflang="ru" href="/news/y/">'
            '<link rel="alternate" hreflang="kk" href="https://site.kz/news/x/"></head>',
            "/news/x/",
            "",
            "kk",
        ),
    ],
)
def test_lang(markup: str, path: str, text: str, expected: str | None) -> None:
    body = f"<p>{text}</p>" if text else ""
    html = markup + f"<body><h1>T</h1>{body}</body></html>"
    assert extract_article_page(html, "https://site.kz" + path).lang == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<span class="views"><i class="fa fa-eye"></i> 1 234</span>', "1 234"),
        ('<span class="info"><i class="icon-eye"></i><span>77</span></span>', "77"),
        ('<div class="x">Просмотров: <b>409</b></div>', "Просмотров: 409"),
        ('<div class="x">409 просмотров</div>', "409 просмотров"),
        ('<div class="x">Қаралды: 12</div>', "Қаралды: 12"),
        ('<div class="x"><img src="/i/eye.svg" alt=""> 5</div>', "5"),
        ('<span class="newsViews">77</span>', "77"),
        ('<span class="show_counter">1,5 тыс.</span>', "1,5 тыс."),
        ('<span class="comments-count">3</span>', None),
        ('<span class="commentsCount">3</span>', None),
        (
            '<span class="comments"><i class="fa fa-comment"></i>'
            '<span class="count">3</span></span>',
            None,
        ),
        ('<span class="likes">12</span>', None),
        ('<span class="news-id">ID 2871</span>', None),
    ],
)
def test_view_counters(meta: str, expected: str | None) -> None:
    html = (
        '<html><body><div class="article"><h1>Заголовок</h1>'
        f'<div class="meta"><span class="date">01.02.2023</span> {meta}</div>'
        '<div class="text"><p>Текст новости достаточно длинный, чтобы стать телом статьи.</p>'
        "<p>Ещё один абзац текста новости, тоже длинный и содержательный.</p></div>"
        "</div></body></html>"
    )
    assert extract_article_page(html, "https://site.kz/ru/news/x/").views_raw == expected


# ------------------------------------------ crawler.extract: HTML → plain text, regions


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a \n\t b  ", "a b"),
        ("1\u00a0234", "1 234"),
        ("a\u2009b\u202fc", "a b c"),
        ("soft\u00adhyphen", "softhyphen"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_space(raw: str | None, expected: str) -> None:
    assert normalize_space(raw) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div>a<br>b</div>", "a\n\nb"),
        ("<div>a<br><br />\n<br>b<br></div>", "a\n\nb"),
        ("<div><p>one</p>bare text<p>two</p></div>", "one\n\nbare text\n\ntwo"),
        ("<div><b>bold</b>text <a href='#'>link</a>, end</div>", "boldtext link, end"),
        ("<div>a<span> b </span>c</div>", "a b c"),
        ("<div>x <i>y</i>\n  <em>z</em></div>", "x y z"),
        (
            "<div><p>x<script>var a = 1;</script>y</p>"
            "<style>.a{}</style><noscript>n</noscript></div>",
            "xy",
        ),
        ("<div><p></p><p>&nbsp;</p><p> z </p><p><br></p></div>", "z"),
        ("<div><h2>Head</h2><ul><li>a</li><li>b</li></ul></div>", "Head\n\na\n\nb"),
        (
            "<div>t<form><input value='x'>f</form>"
            "<button>Go</button><iframe src='x'></iframe></div>",
            "t",
        ),
        ("<div><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></div>", "a b\n\nc"),
        ("<div><div><div>deep</div></div>tail</div>", "deep\n\ntail"),
        ("<div>a<!-- comment -->b</div>", "ab"),
        (
            "<div><blockquote>q</blockquote>"
            "<figure><img src='x.jpg'><figcaption>c</figcaption></figure></div>",
            "q\n\nc",
        ),
    ],
)
def test_block_text(html: str, expected: str) -> None:
    assert block_text(Selector(text=html).css("div")) == expected


def test_block_text_skip_and_stop() -> None:
    root = Selector(text="<div>a<span class='s'>skip</span>b<p>c</p><hr class='end'>d</div>")
    skip = {root.css("span.s")[0].root}
    stop = root.css("hr.end")[0].root
    assert block_text(root.css("div"), skip=skip) == "ab\n\nc\n\nd"
    assert block_text(root.css("div"), skip=skip, stop_at=stop) == "ab\n\nc"


@pytest.mark.parametrize(
    ("html", "flags"),
    [
        ('<div class="header">x</div>', CHROME),
        ('<div class="b-header__menu">x</div>', CHROME),
        ('<div id="footer">x</div>', CHROME),
        ('<div class="news-header">x</div>', 0),
        ('<div class="page-header">x</div>', 0),
        ('<div class="breadcrumbs">x</div>', CHROME),
        ('<div class="lang-switcher">x</div>', CHROME),
        ('<div class="right-column">x</div>', ASIDE),
        ('<div class="popular-news">x</div>', ASIDE),
        ('<div class="has-sidebar">x</div>', 0),
        ('<div class="ya-share2">x</div>', SOCIAL),
        ('<div class="modern-page-navigation">x</div>', PAGER),
        ('<article><header class="x">x</header></article>', 0),
        ("<header>x</header>", CHROME),
        ("<aside>x</aside>", ASIDE),
    ],
)
def test_region_flags(html: str, flags: int) -> None:
    page = ParsedPage(f'<html><body class="sidebar-left">{html}</body></html>', SIMPLE_URL)
    innermost = next(el for el in page.root.iter() if el.text == "x")
    assert page.flags[innermost] & (CHROME | ASIDE | SOCIAL | PAGER) == flags


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.stem)
def test_extract_page_gives_the_page_objects_fields(path: Path) -> None:
    """Classifying first changes no field: an article's fields are the page object's."""
    html, expected = _load(path)
    kind, fields = extract_page(html, expected["url"])
    if kind == "article":
        assert fields == extract_article_page(html, expected["url"])
    else:
        assert fields is None


def test_lead_block_before_the_text_is_kept() -> None:
    html = (
        '<html><body><div class="card"><h1>Заголовок новости</h1>'
        '<div class="card-date">01.02.2023</div>'
        '<div class="card-lead">Вводный абзац новости, выделенный жирным в шаблоне сайта.</div>'
        '<div class="card-text"><p>Первый абзац основного текста новости, довольно длинный.</p>'
        "<p>Второй абзац основного текста новости, тоже довольно длинный.</p></div>"
        '<a href="/ru/news/">Вернуться к списку</a></div></body></html>'
    )
    fields = extract_article_page(html, "https://site.kz/ru/news/x/")
    assert fields.body == (
        "Вводный абзац новости, выделенный жирным в шаблоне сайта.\n\n"
        "Первый абзац основного текста новости, довольно длинный.\n\n"
        "Второй абзац основного текста новости, тоже довольно длинный."
    )


OVERRIDE_ONLY = """<html><body>
<div class="top"><a href="/">Сайт</a></div>
<div class="zag">Короткая новость</div>
<div class="txt">Коротко.</div>
</body></html>"""


def test_overrides_count_when_the_page_is_classified() -> None:
    """A page the generic rules call "other" is an article under the site's selectors
    (before, classification ignored them and the URL was recorded as not an article)."""
    url = "https://site.kz/ru/news/korotko/"
    assert extract_page(OVERRIDE_ONLY, url)[0] == "other"
    selectors = Selectors(title="div.zag", body="div.txt", date="//div[@class='nothing']")
    kind, fields = extract_page(OVERRIDE_ONLY, url, selectors)
    assert kind == "article"
    assert (fields.title, fields.body) == ("Короткая новость", "Коротко.")
    assert extract_page(OVERRIDE_ONLY, url, Selectors(title="div.zag"))[0] == "article"
    # a selector that matches nothing changes nothing
    assert extract_page(OVERRIDE_ONLY, url, Selectors(title="div.nothing"))[0] == "other"
