"""What a list page shows beside each article link: the date, the counter, the rubric.

Many templates print the date (sometimes the counter and the rubric) next to each link
on the list while the article page shows none. For each item of the list
(:func:`crawler.extract.listing.list_items`: its element and its title link) the
article rules for those fields (:func:`crawler.extract.article.meta.find_meta`) run
inside the item, nearest the title link, with two differences: a date must stand as a
date line (a date inside the title or the teaser is not the item's date), and the
page's breadcrumbs name no rubric.

A partial date is never completed: "24 авг" without a year gives no date, unless the
same item carries a machine-readable one (``<time datetime="2022-08-24">``) whose day
and month agree with it; the machine-readable value is then kept as the raw text.

Above both extractors, like :mod:`.classify`: imports :mod:`crawler.items` and
:mod:`crawler.extract` (dates, document, list_page, listing, overrides, article.meta).
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.article.common import Found
from crawler.extract.article.meta import find_meta
from crawler.extract.dates import day_and_month, find_date, parse_date
from crawler.extract.document import ParsedPage
from crawler.extract.list_page import ListPage, list_page_links
from crawler.extract.listing import list_items
from crawler.extract.overrides import GENERIC, Selectors
from crawler.extract.text import inline_text
from crawler.items import ListedFields

_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")


def extract_listed_page(html: str, url: str, selectors: Selectors = GENERIC) -> ListPage:
    """Article links, next page and what each item shows, of the list page ``html``."""
    page = ParsedPage(html, url)
    found = list_page_links(page, selectors or GENERIC)
    found.listed = listed_fields(page, found.article_urls)
    return found


def listed_fields(page: ParsedPage, urls: list[str]) -> dict[str, ListedFields]:
    """``url -> ListedFields`` for the ``urls`` of the list's items: what each shows
    beside its link, and the titles of the other items (links found by a site override,
    outside the list's items, get none)."""
    where = list_items(page).where
    titles = {url: inline_text(where[url][1]) for url in urls if url in where}
    found: dict[str, ListedFields] = {}
    for url in urls:
        spot = where.get(url)
        if spot is None:
            continue
        fields = item_fields(page, *spot)
        fields.other_titles = tuple(t for u, t in titles.items() if u != url and t)
        found[url] = fields
    return found


def item_fields(page: ParsedPage, item: etree._Element, link: etree._Element) -> ListedFields:
    """What one list ``item`` shows beside its title ``link``."""
    meta = find_meta(page, GENERIC, item, link, [], None, list_item=True)
    return ListedFields(
        date_raw=_full_date(meta.date, item),
        views_raw=meta.views.text if meta.views else None,
        category=meta.category.text if meta.category else None,
    )


def _whole_date(text: str) -> bool:
    """A date the fast path reads ("24.08.2022", "Сегодня, 10:15"), or a text with a
    year that the slow path reads; a text without a year is never a whole date."""
    return bool(find_date(text)) or (bool(_YEAR.search(text)) and bool(parse_date(text)))


def _full_date(found: Found | None, item: etree._Element) -> str | None:
    """The item's date text when it is a whole date; else a machine-readable date of the
    same item that the visible text does not contradict; else None."""
    if found and _whole_date(found.text):
        return found.text
    shown = day_and_month(found.text) if found else None
    if found and shown is None:
        return None  # a text in the date's place that is no date at all
    for element in item.iter("time"):
        machine = (element.get("datetime") or "").strip()
        iso = parse_date(machine) if machine else None
        if iso and (shown is None or shown == (int(iso[8:10]), int(iso[5:7]))):
            return machine
    return None
