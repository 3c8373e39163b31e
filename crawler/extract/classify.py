"""Which kind of page is this: a list, an article, or something else?

Above both extractors (neither imports the other): it weighs the list items found on a
page (:mod:`.listing`, :mod:`.pager`) against the article fields (:mod:`.article`).

- "other" for search URLs and error pages served with status 200 ("404", "Страница не
  найдена", "Page not found", "Бет табылмады" with little text:
  :data:`~crawler.extract.vocabulary.ERROR_PAGE_TEXTS`);
- "list" when three or more list items are found (counting links into the directory
  *above* the page, so a section page ``/news/politics/`` listing ``/news/<code>/`` is a
  list too) and the page has a pager or its body block is the list or lies inside one
  item;
- "article" when there is a title and a body of substance (150+ characters, or 20+ with
  a date), or when a site's selector override found the title (or the text, beside a
  title);
- "list" again for two items; "other" otherwise.

The article fields weighed are those the crawl will store: a site's selector overrides
count (:mod:`.overrides`), so an override for the title makes a page the generic rules
call "other" an article. :func:`extract_page` classifies and extracts in
one parse.

Imports :mod:`crawler.items` and :mod:`crawler.extract` (document, listing, pager,
article, overrides, vocabulary).
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.article.page import ArticlePage
from crawler.extract.document import ParsedPage, is_inside
from crawler.extract.listing import list_items
from crawler.extract.overrides import GENERIC, Selectors
from crawler.extract.pager import has_pager
from crawler.extract.vocabulary import ERROR_PAGE_TEXTS, alternation
from crawler.items import ArticleFields

PageType = Literal["list", "article", "other"]

_ERROR_TEXT = re.compile(alternation(ERROR_PAGE_TEXTS), re.IGNORECASE)


def extract_page(
    html: str, url: str, selectors: Selectors = GENERIC, other_titles: tuple[str, ...] = ()
) -> tuple[PageType, ArticleFields | None]:
    """The page type and, for an article, its fields: one parse for both.
    ``other_titles``: titles of other articles known from the list page."""
    article = ArticlePage(ParsedPage(html, url), selectors or GENERIC, other_titles)
    kind = classify(article)
    return kind, article.fields() if kind == "article" else None


def classify(article: ArticlePage) -> PageType:
    """The type of the page behind ``article`` (its fields are computed as needed)."""
    page = article.page
    if _is_search_url(page.url):
        return "other"
    body = article.body_text
    if _looks_like_error(article, body):
        return "other"
    items = list_items(page, _parent_list_url(page.url))
    if len(items.urls) >= 3 and (has_pager(page) or _body_is_list(article, items.elements)):
        return "list"
    has_date = article.date is not None
    if article.title and len(body) >= (20 if has_date else 150):
        return "article"
    if _overridden(article):
        return "article"  # the site's own selectors say what the title and text are
    return "list" if len(items.urls) >= 2 else "other"


def _overridden(article: ArticlePage) -> bool:
    """A site selector found the title, or the text (with a title of any kind)."""
    title, body = article.title, article.body
    return bool(title and (title.overridden or (body is not None and body.overridden)))


def _is_search_url(url: str) -> bool:
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    query_keys = {pair.partition("=")[0].lower() for pair in parts.query.split("&")}
    return "search" in segments or bool(query_keys & {"q", "query", "search"})


def _looks_like_error(article: ArticlePage, body: str) -> bool:
    if len(body) > 400:
        return False
    heading = article.title.text if article.title else ""
    return bool(_ERROR_TEXT.search(heading) or _ERROR_TEXT.search(article.page.title_tag()))


def _parent_list_url(url: str) -> str:
    """The directory above the page's own directory: the list an article or section is in."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.path.endswith("/") and segments:
        segments = segments[:-1]
    elif segments:
        segments = segments[:-1]  # a file such as index.php: its directory
    path = "/" + "".join(s + "/" for s in segments)
    return f"{parts.scheme}://{parts.netloc}{path}"


def _body_is_list(article: ArticlePage, items: list[etree._Element]) -> bool:
    """The body block found is the list itself, or sits inside one list item."""
    if article.body is None:
        return True
    body = article.body.elements[0]
    covered = sum(
        1
        for item in items
        if is_inside(item, body) and not any(is_inside(item, s) for s in article.body.skip)
    )
    return covered >= 2 or any(is_inside(body, item) for item in items)
