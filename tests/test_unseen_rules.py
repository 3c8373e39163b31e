"""Focused cases for the rules of issue 11: what a list item shows beside its link,
machine-readable dates, blocks inside the text that are not text, the English form of
the real site's article."""

from __future__ import annotations

import pytest

from crawler.extract.article.page import extract_article_page
from crawler.extract.fetched_page import extract_article, extract_list
from crawler.extract.record import build_article
from crawler.items import ArticleFields, ListedFields

LIST_URL = "https://site.kz/ru/news/"
TEXT = "<p>" + "Текст новости о семинаре в районе, достаточно длинный для абзаца. " * 4 + "</p>"


def _list(items: str) -> dict[str, ListedFields]:
    html = f"<html><body><div class='news'>{items}</div></body></html>"
    return extract_list(html.encode(), "utf-8", LIST_URL, None).listed


def _item(n: int, inner: str) -> str:
    return (
        f'<div class="item" id="bx_1_{n}"><a class="t" href="/ru/news/n-{n}/">'
        f"Заголовок новости номер {n} о событиях</a>{inner}</div>"
    )


def test_list_items_carry_date_views_and_rubric() -> None:
    listed = _list(
        "".join(
            _item(
                n,
                f'<span class="date">2{n}.08.2022</span><span class="views">Просмотров: 4{n}</span>'
                f'<a class="rubric" href="/ru/news/?tag=x">Общество</a>',
            )
            for n in range(3)
        )
    )
    found = listed[LIST_URL + "n-1/"]
    assert (found.date_raw, found.views_raw, found.category) == (
        "21.08.2022",
        "Просмотров: 41",
        "Общество",
    )
    assert found.other_titles == (
        "Заголовок новости номер 0 о событиях",
        "Заголовок новости номер 2 о событиях",
    )


def test_a_date_in_the_title_is_not_the_items_date() -> None:
    items = "".join(
        f'<div class="item"><a href="/ru/news/n-{n}/">Итоги 24 августа 2022 года: встреча {n}</a>'
        f"<p>Анонс новости номер {n}.</p></div>"
        for n in range(3)
    )
    assert not any(fields.date_raw for fields in _list(items).values())


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ('<span class="date">24 авг</span>', None),  # no year: never completed
        ('<time datetime="2022-08-24T10:15">24 авг</time>', "2022-08-24T10:15"),
        ('<time datetime="2022-08-25">24 авг</time>', None),  # contradicts what is shown
        ('<span class="date">24 авг</span><time datetime="2021-08-24"></time>', "2021-08-24"),
    ],
)
def test_a_partial_list_date_needs_a_machine_date_of_the_same_item(
    shown: str, expected: str | None
) -> None:
    listed = _list("".join(_item(n, shown) for n in range(3)))
    found = listed.get(LIST_URL + "n-0/")
    assert (found.date_raw if found else None) == expected


def test_the_page_wins_over_the_list() -> None:
    fields = ArticleFields(title="T", date_raw="24.08.2022", body="x", lang="ru")
    listed = ListedFields("25.08.2022", "Просмотров: 5", "Общество")
    article = build_article("u", fields, "now", listed=listed)
    assert (article.published, article.published_source) == ("2022-08-24", "page")
    assert (article.views, article.views_source) == (5, "list")
    assert (article.category, article.category_source) == ("Общество", "list")
    bare = build_article("u", ArticleFields(title="T", body="x"), "now")
    assert (bare.published_source, bare.views_source, bare.category_source) == (None,) * 3


def _article(head: str, meta: str, url: str = "https://site.kz/ru/news/x/") -> str | None:
    html = f"<html><head>{head}</head><body><h1>Заголовок статьи</h1>{meta}{TEXT}</body></html>"
    return extract_article_page(html, url).date_raw


@pytest.mark.parametrize(
    ("head", "meta", "expected"),
    [
        (
            "",
            '<time datetime="2022-08-24T10:15:00+06:00">24 авг</time>',
            "2022-08-24T10:15:00+06:00",
        ),
        (
            '<meta property="article:published_time" content="2022-08-24T10:15">',
            "",
            "2022-08-24T10:15",
        ),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2022-08-24"}]}</script>',
            "",
            "2022-08-24",
        ),
        ('<script type="application/ld+json">{"datePublished": </script>', "", None),  # bad JSON
        # a visible date always wins over a machine-readable one that contradicts it
        (
            '<meta property="article:published_time" content="2021-01-01">',
            '<span class="date">24.08.2022</span>',
            "24.08.2022",
        ),
        (
            '<meta property="article:published_time" content="2022-08-25">',
            '<span class="date">24 авг</span>',
            "24 авг",
        ),
    ],
)
def test_machine_readable_dates_are_evidence(head: str, meta: str, expected: str | None) -> None:
    assert _article(head, meta) == expected


BODY_URL = "https://site.kz/ru/news/seminar/"


def _body(text_block: str, after: str = "") -> str | None:
    html = (
        "<html><body><h1>Семинар в районе</h1>"
        f'<div class="detail-text">{TEXT}{text_block}{TEXT}</div>{after}</body></html>'
    )
    return extract_article_page(html, BODY_URL).body


@pytest.mark.parametrize(
    "block",
    [
        '<p><a href="/ru/ask/">Задать вопрос</a> | <a href="/ru/call/">Заказать звонок</a></p>',
        '<div class="cta"><a href="/subscribe/">Подписаться на новости</a></div>',
        '<p><a href="/ru/news/a/">Предыдущая: Встреча с ветеранами труда в Атырау</a></p>',
    ],
)
def test_a_block_of_links_is_not_text(block: str) -> None:
    body = _body(block)
    assert body is not None and body.count("Текст новости") == 8
    assert "вопрос" not in body and "Подписаться" not in body and "Предыдущая" not in body


def test_another_articles_title_is_not_text() -> None:
    related = (
        '<div class="related"><a href="/ru/news/b/">Концерт творческих коллективов в Кентау</a>'
        "</div>"
    )
    body = _body("<p>Концерт творческих коллективов в Кентау</p>", related)
    assert body is not None and "Кентау" not in body


@pytest.mark.parametrize(
    "heading",
    [
        "<h3>Фотогалерея</h3>",
        "<h4>Похожие новости</h4>",
        "<div><b>Photo gallery</b></div>",
        "<h3>Ұқсас жаңалықтар</h3>",
    ],
)
def test_gallery_and_related_headings_open_blocks_that_are_not_text(heading: str) -> None:
    gallery = (
        f'{heading}<div class="gallery"><img src="/upload/iblock/a/1.jpg">'
        "<span>Участники семинара</span></div>"
    )
    body = _body(gallery)
    assert body is not None and "Участники" not in body and "галерея" not in body.lower()
    assert body.count("Текст новости") == 8


ASSEMBLY_EN = """<html lang="ru"><head><title>Seminar in Inder district</title></head><body>
<div class="news-detail">
<div class="news-category">Assembly of People of Kazakhstan</div>
<div class="news-date">13 February, 2020</div>
<h1>Seminar in Inder district</h1>
<p>A seminar on the prevention of conflicts was held in Inder district of Atyrau region.</p>
<p>Members of the Assembly and of the councils of public consent took part in it.</p>
<a href="/news/">Back to the list</a>
</div></body></html>"""


@pytest.mark.parametrize(
    "url",
    ["https://assembly.kz/en/news/seminar-in-inder/", "https://assembly.kz/news/seminar-in-inder/"],
)
def test_the_real_sites_english_article(url: str) -> None:
    kind, article = extract_article(ASSEMBLY_EN.encode(), "utf-8", url, url, "now", None)
    assert kind == "article"
    assert (article.published, article.published_raw) == ("2020-02-13", "13 February, 2020")
    assert article.category == "Assembly of People of Kazakhstan"
    assert article.lang == "en"  # a Russian <html lang> on the English text loses
    assert "Back to the list" not in article.body
    assert article.body.startswith("A seminar on the prevention")


def test_an_english_list_links_its_articles_without_the_language_segment() -> None:
    """assembly.kz links English articles as ``/en/news/<slug>/`` and ``/news/<slug>/``."""
    items = "".join(
        f'<div class="item"><a href="{path}">English news item number {n} about the Assembly</a>'
        f"<span class='date'>13 February, 2020</span></div>"
        for n, path in enumerate(["/news/first-item/", "/en/news/second-item/", "/news/third/"])
    )
    html = f"<html><body><div class='news'>{items}</div></body></html>"
    page = extract_list(html.encode(), "utf-8", "https://assembly.kz/en/news/", None)
    assert page.article_urls == [
        "https://assembly.kz/news/first-item/",
        "https://assembly.kz/en/news/second-item/",
        "https://assembly.kz/news/third/",
    ]
    assert page.listed["https://assembly.kz/news/third/"].date_raw == "13 February, 2020"


def test_a_paragraph_repeating_another_list_items_title_is_not_text() -> None:
    """The list page knows the titles of the other articles; one of them pasted into
    this article's text (a related card without a link) is not its text."""
    html = (
        "<html><body><h1>Семинар в районе</h1><div class='detail-text'>"
        f"{TEXT}<p>Концерт творческих коллективов в Кентау</p>{TEXT}</div></body></html>"
    )
    url = "https://site.kz/ru/news/seminar/"
    listed = ListedFields(other_titles=("Концерт творческих коллективов в Кентау",))
    _kind, article = extract_article(html.encode(), "utf-8", url, url, "now", None, listed)
    assert "Кентау" not in article.body
    _kind, alone = extract_article(html.encode(), "utf-8", url, url, "now", None)
    assert "Кентау" in alone.body  # without the list it reads as a (short) paragraph
