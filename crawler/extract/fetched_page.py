"""A fetched page's bytes → what the crawl keeps of it.

The entry points of extraction for the crawl, ``inspect`` and the tests: the body as
received and the charset it declared in, decoded by the charset decision of
:mod:`crawler.extract.encoding`;
out, for an article URL, the page type and the normalised
:class:`~crawler.items.Article`; for a list URL, its links (:class:`.list_page.ListPage`).
The page-reading workers (:mod:`crawler.page_workers`) call these same functions in
other processes: arguments and results are plain picklable data.

Imports the standard library, :mod:`crawler.items` and :mod:`crawler.extract`
(classify, encoding, list_page, listed, record, overrides).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from crawler.extract.classify import PageType, extract_page
from crawler.extract.encoding import decode_page
from crawler.extract.list_page import ListPage
from crawler.extract.listed import extract_listed_page
from crawler.extract.overrides import GENERIC, Selectors
from crawler.extract.record import build_article
from crawler.items import Article, ListedFields


def decode(body: bytes, encoding: str | None) -> str:
    """``body`` as text: ``encoding`` (the charset the response declared) is one hint
    among the bytes themselves, a BOM and the page's ``<meta>``
    (:func:`crawler.extract.encoding.decode_page`)."""
    return decode_page(body, encoding).text


def site_clock(fetched_at: str, time_zone: str | None) -> datetime | None:
    """The wall-clock time at the site when the page was fetched (``fetched_at``: UTC,
    ISO 8601): "Сегодня"/"Вчера" on the page mean that day. None without a zone."""
    if not time_zone:
        return None
    fetched = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    return fetched.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def extract_article(
    body: bytes,
    encoding: str,
    url: str,
    canonical: str,
    fetched_at: str,
    selectors: Selectors | None,
    listed: ListedFields | None = None,
    time_zone: str | None = None,
) -> tuple[PageType, Article | None]:
    """An article URL's page fetched from ``url``: its type and, for an article, its
    record (fields extracted, date and counter normalised) under ``canonical``.
    ``listed``: what the list showed beside the link, for the fields the page lacks (and
    the titles of the list's other items, which are not this article's text).
    Relative dates ("Сегодня") are read on the site's clock at ``fetched_at`` in
    ``time_zone`` (an IANA name such as ``Asia/Almaty``; None: this machine's clock)."""
    titles = listed.other_titles if listed else ()
    kind, fields = extract_page(decode(body, encoding), url, selectors or GENERIC, titles)
    if fields is None:
        return kind, None
    now = site_clock(fetched_at, time_zone)
    return kind, build_article(canonical, fields, fetched_at, now, listed=listed)


def extract_list(body: bytes, encoding: str, url: str, selectors: Selectors | None) -> ListPage:
    """A list page fetched from ``url``: its article links, what each item shows beside
    its link (:mod:`.listed`), and its next page."""
    return extract_listed_page(decode(body, encoding), url, selectors or GENERIC)
