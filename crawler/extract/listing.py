"""A list page's items: the links to its articles, without site-specific configuration.

    1. A site's ``Selectors.article_links`` override, when it matches; its links only
       need to be on the same host (the override may point outside the list directory).
    2. Otherwise every ``<a href>`` that :func:`crawler.extract.urls.looks_like_article_url` accepts
       for this list is a *candidate*; candidates inside page chrome or side blocks
       (header, footer, menus, breadcrumbs, sidebars, "popular"/"related" blocks: see
       :mod:`crawler.extract.regions`) are set aside.
    3. The list's *items* are found among the remaining candidates:

       * Bitrix edit areas: the templates wrap each item in an element with
         ``id="bx_<component>_<element id>"``. The component with the most items wins.
       * Otherwise repeated blocks: each link's item is its highest ancestor that holds no
         other candidate URL; items are grouped by their tag path (tag and first class of
         the item and every ancestor, so ``odd``/``even`` or ``--big`` modifiers do not split
         a list), and the group with the most distinct URLs wins. A URL counts double when
         one of its links looks like a title (in a heading, ``<b>``/``<strong>``, a
         ``*title*``/``*name*`` class, or 15+ characters of text), so the picture or
         title links of cards beat the repeated rubric links in the same cards. A URL
         linked from places far apart (the smallest block holding its links holds 3+ other
         URLs: a section tab that is also each card's rubric) does not count, and every
         item showing more than its links (a date, a teaser, a picture) adds one, so a bar
         of section tabs (``/news/society/``) loses to the news items below it.

       Each item contributes one URL: its title-like link, else its most frequent one
       (a rubric link or an "also read" link inside a card is not the item's article).
       Title-like candidate links elsewhere in the block around the items (the parent
       of their common ancestor: a featured first item with its own markup) are added
       when their URL has the shape of the items' URLs (path depth and query keys), so
       the rubric link beside a featured item is not.
    4. No group of two or more items: all candidates outside chrome and side blocks; and
       when there are none, all candidates.

    URLs are canonical (:func:`crawler.extract.urls.canonical_url`), unique, in page order.

Imports lxml, :mod:`crawler.extract` (document, regions, text, urls, overrides).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from crawler.extract.document import (
    ParsedPage,
    common_ancestor,
    is_descendant,
    resolve_href,
)
from crawler.extract.overrides import Selectors, select
from crawler.extract.regions import ASIDE, CHROME
from crawler.extract.text import normalize_space, text_content
from crawler.extract.urls import Section, canonical_url

_EDIT_AREA_ID = re.compile(r"^bx_(\d+)_\d+(?:_\w+)?$")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "b", "strong"})
_TITLE_CLASS = re.compile(r"title|name|head", re.IGNORECASE)
_TITLE_TEXT_MIN = 15
#: Regions whose links are not the list's own items.
OFF_LIST = CHROME | ASIDE


@dataclass
class ListItems:
    """The repeated items of a list: their article URLs and the item elements."""

    urls: list[str] = field(default_factory=list)
    elements: list[etree._Element] = field(default_factory=list)
    #: ``url -> (item element, its title link)`` for each item's own article.
    where: dict[str, tuple[etree._Element, etree._Element]] = field(default_factory=dict)


@dataclass
class _Link:
    element: etree._Element
    url: str  # canonical

    @functools.cached_property
    def title_like(self) -> bool:
        """:func:`_is_title_like` (several steps ask it of each link: computed once)."""
        return _is_title_like(self.element)


def article_urls(page: ParsedPage, selectors: Selectors) -> list[str]:
    """Article URLs of a parsed list page (override first, then the generic logic)."""
    section = Section(page.url)
    overridden = _override_article_urls(page, selectors.article_links, section)
    if overridden:
        return overridden
    listed = list_items(page).urls  # memoised: the next-page search asks for it too
    if listed:
        return listed
    links = candidate_links(page, section, skip=OFF_LIST) or candidate_links(page, section)
    return _unique(link.url for link in links)


def list_items(page: ParsedPage, list_url: str | None = None) -> ListItems:
    """The repeated list items outside chrome and side blocks (empty when there are none).

    Links count when they look like articles of the list at ``list_url`` (default: the
    page itself; the classifier passes the directory above, so that a section page
    ``/news/politics/`` listing ``/news/<code>/`` articles is seen as a list).
    """
    key = f"list_items {list_url or page.url}"
    if key not in page.memo:
        in_content = candidate_links(page, Section(list_url or page.url), skip=OFF_LIST)
        page.memo[key] = _find_list(page, in_content)
    return page.memo[key]


def candidate_links(page: ParsedPage, section: Section, skip: int = 0) -> list[_Link]:
    """Every link on the page that may lead to an article of this list, except those in
    regions flagged ``skip`` (:func:`crawler.text.region_flags`)."""
    links: list[_Link] = []
    key, flags = section.key, page.flags
    for anchor in page.anchors:
        if skip and flags[anchor] & skip:
            continue
        href = anchor.get("href")
        if href and not section.surely_outside(href):  # before the cache: keeps it small
            url = _candidate_url(key, page.join_base(href), href)
            if url:
                links.append(_Link(anchor, url))
    return links


@functools.lru_cache(maxsize=16384)
def _candidate_url(section_key: str, base: str, href: str) -> str:
    """The canonical URL of ``href`` (joined to ``base``) when it may be an article of the
    section (:attr:`Section.key`), else "" (memoised: menus and cards recur on every page)."""
    section = Section.from_key(section_key)
    absolute = resolve_href(base, href)
    if absolute is None or not section.looks_like_article(absolute):
        return ""
    return canonical_url(absolute)


# ---------------------------------------------------------------------- article links


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def _override_article_urls(page: ParsedPage, query: str | None, section: Section) -> list[str]:
    urls = []
    for result in select(page.selector, query):
        root = result.root
        if isinstance(root, str):
            hrefs = [root]
        elif root.tag == "a":
            hrefs = [root.get("href")]
        else:
            hrefs = [a.get("href") for a in root.iter("a")]
        for href in hrefs:
            absolute = page.absolute(href)
            if absolute and section.looks_like_article(absolute, require_section=False):
                urls.append(canonical_url(absolute))
    return _unique(urls)


def _find_list(page: ParsedPage, links: list[_Link]) -> ListItems:
    """The list's own items among ``links`` (empty when no list is found)."""
    if not links:
        return ListItems()
    items = _edit_area_items(page, links) or _repeated_items(page, links)
    if len(items) < 2:
        return ListItems()
    primary = {item: _primary_link(item_links) for item, item_links in items.items()}
    chosen = {link.url for link in primary.values()}
    where = {}
    for item, link in primary.items():
        where.setdefault(link.url, (item, link.element))
    shapes = {_url_shape(url) for url in chosen}
    container = common_ancestor(items)
    if container is not None and container.getparent() is not None:
        container = container.getparent()  # the list block and its siblings (a featured item)
    item_of = {link.element: item for item, item_links in items.items() for link in item_links}
    urls = []
    for link in links:  # page order
        if link.url in chosen:
            urls.append(link.url)
        elif link.element not in item_of and is_descendant(link.element, container):
            if link.title_like and _url_shape(link.url) in shapes:
                urls.append(link.url)
    return ListItems(urls=_unique(urls), elements=list(items), where=where)


def _url_shape(url: str) -> tuple[int, tuple[str, ...]]:
    """Path depth and query keys: the articles of one list share them.

    ``/news/detail/8841/`` and ``/news/detail/8840/`` match; the rubric ``/news/society/``
    beside a featured item does not (a slug beside numeric ids does: ``/news/forum/``).
    """
    parts = urlsplit(url)
    depth = len([s for s in parts.path.split("/") if s])
    if not parts.query:
        return depth, ()
    keys = tuple(sorted({key.lower() for key, _value in parse_qsl(parts.query)}))
    return depth, keys


def _edit_area_items(page: ParsedPage, links: list[_Link]) -> dict[etree._Element, list[_Link]]:
    """Items marked by Bitrix edit-area ids, for the component with the most items."""
    by_component: dict[str, dict[etree._Element, list[_Link]]] = defaultdict(dict)
    ids = page.id_of
    for link in links:
        for ancestor in link.element.iterancestors():
            ident = ids.get(ancestor)
            match = _EDIT_AREA_ID.match(ident) if ident else None
            if match:
                by_component[match.group(1)].setdefault(ancestor, []).append(link)
                break
    if not by_component:
        return {}
    return max(by_component.values(), key=lambda items: len(_distinct(items)))


def _distinct(items: dict[etree._Element, list[_Link]]) -> set[str]:
    return {link.url for item_links in items.values() for link in item_links}


def _repeated_items(page: ParsedPage, links: list[_Link]) -> dict[etree._Element, list[_Link]]:
    """Items found as repeated blocks with the same tag path (see module docstring)."""
    urls_under: dict[etree._Element, set[str]] = defaultdict(set)
    for link in links:
        urls_under[link.element].add(link.url)
        for ancestor in link.element.iterancestors():
            urls_under[ancestor].add(link.url)
    groups: dict[str, dict[etree._Element, list[_Link]]] = defaultdict(dict)
    paths: dict[etree._Element, str] = {}
    for link in links:
        item = link.element
        parent = item.getparent()
        while parent is not None and len(urls_under[parent]) == 1:
            item, parent = parent, parent.getparent()
        groups[_tag_path(item, paths, page.class_of)].setdefault(item, []).append(link)
    if not groups:
        return {}
    dispersed = _dispersed_urls(links, urls_under)
    best = max(groups.values(), key=lambda items: _group_score(items, dispersed))
    return best if len(_distinct(best)) >= 2 else {}


def _dispersed_urls(links: list[_Link], urls_under: dict[etree._Element, set[str]]) -> set[str]:
    """URLs linked from places far apart: the smallest block holding all their links also
    holds 3+ other URLs. Rubric and section-filter links (a tab bar and the rubric line of
    each card) are; an article's picture and title links in one card are not.
    """
    places: dict[str, list[etree._Element]] = defaultdict(list)
    for link in links:
        places[link.url].append(link.element)
    dispersed = set()
    for url, elements in places.items():
        if len(elements) > 1:
            block = common_ancestor(elements)
            if block is not None and len(urls_under[block]) > 3:
                dispersed.add(url)
    return dispersed


def _tag_path(
    element: etree._Element, memo: dict[etree._Element, str], class_of: dict[etree._Element, str]
) -> str:
    """``html/body/div.page/div.news-list/div.item``: tag and first class per level
    (``class_of``: :attr:`ParsedPage.class_of`)."""
    known = memo.get(element)
    if known is not None:
        return known
    parent = element.getparent()
    classes = class_of.get(element, "").split()
    own = f"{element.tag}.{classes[0]}" if classes else str(element.tag)
    path = f"{_tag_path(parent, memo, class_of)}/{own}" if parent is not None else own
    memo[element] = path
    return path


def _group_score(items: dict[etree._Element, list[_Link]], dispersed: set[str]) -> int:
    """Distinct URLs plus title-like ones (dispersed URLs, rubrics and filters, do not
    count) plus the items that show more than their links: a date, a teaser, a picture.
    A bar of section tabs is links only; news items carry a date.
    """
    title_like = {link.url for links in items.values() for link in links if link.title_like}
    with_content = sum(1 for item, links in items.items() if _has_own_content(item, links))
    return len(_distinct(items) - dispersed) + len(title_like - dispersed) + with_content


def _has_own_content(item: etree._Element, links: list[_Link]) -> bool:
    """The item holds text outside its links, or a picture."""
    if item.tag == "a":
        return False
    link_text = sum(len(normalize_space(text_content(link.element))) for link in links)
    if len(normalize_space(text_content(item))) > link_text:
        return True
    return next(item.iter("img"), None) is not None


def _is_title_like(anchor: etree._Element) -> bool:
    """A link that shows an article title rather than a picture, rubric or "more"."""
    if _names_a_title(anchor.get("class", "")):
        return True
    if len(normalize_space(text_content(anchor))) >= _TITLE_TEXT_MIN:
        return True
    for depth, ancestor in enumerate(anchor.iterancestors()):
        if depth >= 3:
            break
        if ancestor.tag in _HEADING_TAGS or _names_a_title(ancestor.get("class", "")):
            return True
    return any(child.tag in _HEADING_TAGS for child in anchor)


@functools.lru_cache(maxsize=1024)
def _names_a_title(classes: str) -> bool:
    """A class value with ``title``, ``name`` or ``head`` in it (memoised: classes recur)."""
    return bool(_TITLE_CLASS.search(classes))


def _primary_link(links: list[_Link]) -> _Link:
    """The item's own article link: its title-like link, else one to its most frequent
    URL."""
    for link in links:
        if link.title_like:
            return link
    counts = Counter(link.url for link in links)
    best = max(counts, key=lambda url: counts[url])  # ties: first in page order
    return next(link for link in links if link.url == best)
