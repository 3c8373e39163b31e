"""A fetched page's bytes → what the crawl keeps of it.

The entry points of extraction for the crawl, ``inspect`` and the tests: the body as
received and its encoding in, decoded as Scrapy's ``TextResponse.text`` decodes it;
out, for an article URL, the page type and the normalised
:class:`~crawler.items.Article`; for a list URL, its links (:class:`.list_page.ListPage`).
The page-reading workers (:mod:`crawler.page_workers`) call these same functions in
other processes: arguments and results are plain picklable data.

Imports w3lib, :mod:`crawler.items` and :mod:`crawler.extract` (classify, list_page,
listed, record, overrides).
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

from crawler.extract.classify import PageType, extract_page
from crawler.extract.list_page import ListPage
from crawler.extract.listed import extract_listed_page
from crawler.extract.overrides import GENERIC, Selectors
from crawler.extract.record import build_article
from crawler.items import Article, ListedFields


def decode(body: bytes, encoding: str) -> str:
    """``body`` decoded as Scrapy's ``TextResponse.text`` decodes it, given the
    response's ``encoding``."""
    return html_to_unicode(f"charset={encoding}", body)[1]


def extract_article(
    body: bytes,
    encoding: str,
    url: str,
    canonical: str,
    fetched_at: str,
    selectors: Selectors | None,
    listed: ListedFields | None = None,
) -> tuple[PageType, Article | None]:
    """An article URL's page fetched from ``url``: its type and, for an article, its
    record (fields extracted, date and counter normalised) under ``canonical``.
    ``listed``: what the list showed beside the link, for the fields the page lacks."""
    titles = listed.other_titles if listed else ()
    kind, fields = extract_page(decode(body, encoding), url, selectors or GENERIC, titles)
    if fields is None:
        return kind, None
    return kind, build_article(canonical, fields, fetched_at, listed=listed)


def extract_list(body: bytes, encoding: str, url: str, selectors: Selectors | None) -> ListPage:
    """A list page fetched from ``url``: its article links, what each item shows beside
    its link (:mod:`.listed`), and its next page."""
    return extract_listed_page(decode(body, encoding), url, selectors or GENERIC)
