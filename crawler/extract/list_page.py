"""A list page → what it offers the crawl: its article links and its next page.

The two halves are :mod:`.listing` (the list's items) and :mod:`.pager` (the next
page); this module puts them together for one page.

Imports :mod:`crawler.items` and :mod:`crawler.extract` (document, listing, pager,
overrides).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.extract.document import ParsedPage
from crawler.extract.listing import article_urls
from crawler.extract.overrides import GENERIC, Selectors
from crawler.extract.pager import next_page_url
from crawler.items import ListedFields


@dataclass
class ListPage:
    """What a list page offers the spider."""

    #: Canonical absolute article URLs, unique, in page order.
    article_urls: list[str] = field(default_factory=list)
    #: Absolute URL of the next list page, None on the last page.
    next_url: str | None = None
    #: What the list item shows beside each article link (date, counter, rubric), by
    #: URL, for the links whose item shows any (:mod:`crawler.extract.listed`).
    listed: dict[str, ListedFields] = field(default_factory=dict)


def list_page_links(page: ParsedPage, selectors: Selectors = GENERIC) -> ListPage:
    """Article links and next page of a parsed list page."""
    selectors = selectors or GENERIC
    return ListPage(
        article_urls=article_urls(page, selectors), next_url=next_page_url(page, selectors)
    )


def extract_list_page(html: str, url: str, selectors: Selectors = GENERIC) -> ListPage:
    """Article links and next-page link of the list page ``html`` served at ``url``."""
    return list_page_links(ParsedPage(html, url), selectors)
