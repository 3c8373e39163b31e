"""List page → article links and the next page, without site-specific configuration.

Article links
    1. A site's ``Selectors.article_links`` override, when it matches; its links only
       need to be on the same host (the override may point outside the list directory).
    2. Otherwise every ``<a href>`` that :func:`crawler.urls.looks_like_article_url` accepts
       for this list is a *candidate*; candidates inside page chrome or side blocks
       (header, footer, menus, breadcrumbs, sidebars, "popular"/"related" blocks: see
       :func:`crawler.text.region_flags`) are set aside.
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

    URLs are canonical (:func:`crawler.urls.canonical_url`), unique, in page order.

Next page
    Tried in order, the first stage with a usable link wins (inside a stage a link outside
    chrome and side blocks beats one inside): the ``next_page`` override;
    ``<link|a rel="next">``; a link whose class (or its parent's) has the word ``next``
    (``a.modern-page-next``, ``li.bx-pag-next a``, ``.pagination__next``...); a link whose
    text is a "next" word (След., Следующая, Далее, Вперёд, Next, Келесі) or an arrow
    (›, →, > before »), or a "Показать ещё"/"Load more" link. Class and text matches count
    only inside a pager (a pagination block, or a link to a ``PAGEN``/``nav-x=page-n``
    URL), so "Далее" (read more) links in items and slider arrows are ignored;
    "Конец"/"End"/"Last" and ``»»`` never count. Then AJAX "load more" buttons: a
    ``data-*`` attribute holding a pagination URL (``<a class="btn-more"
    data-url="?PAGEN_1=2">``, ``<div data-next-page="/news/?PAGEN_1=2">``); the loader
    fetches that URL, a whole page.
    Last resort, numbering: among pager links, page current+1, where the current page
    comes from the URL or the pager's highlighted number (``<b>``, ``.bx-active``,
    ``.modern-page-current``, ``.active``, ``.current``). A bare list URL whose pager
    highlights a number above 1 uses reverse numbering (``bDescPageNumbering``): the next
    page is current-1. The page's own next link is always trusted over counting, so
    reverse numbering works whenever the pager has one. A link back to the current page
    (or to another host) is not usable: the last page has no next. Among several links
    of one stage: outside side blocks first, then those paging on the parameter the
    current URL pages on (``?PAGEN_2=2`` → ``PAGEN_2=3``, not the ``PAGEN_1`` pager of an
    announcements block above), then the pager nearest the end of the list's items. The
    result is canonical (``?PAGEN_1=1`` becomes the bare list URL).

Page type
    :func:`is_list_page` asks :func:`crawler.article_page.classify_page`, which weighs
    the list items found here against the article fields.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from crawler.site_profiles import Selectors, select
from crawler.text import (
    ASIDE,
    CHROME,
    PAGER,
    ParsedPage,
    common_ancestor,
    normalize_space,
    resolve_href,
    text_content,
)
from crawler.urls import Section, canonical_url, is_pagination_url

_EDIT_AREA_ID = re.compile(r"^bx_(\d+)_\d+(?:_\w+)?$")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "b", "strong"})
_TITLE_CLASS = re.compile(r"title|name|head", re.IGNORECASE)
_TITLE_TEXT_MIN = 15
#: Regions whose links are not the list's own items.
_OFF_LIST = CHROME | ASIDE

_NEXT_WORDS = frozenset(
    {
        "след",
        "следующая",
        "следующая страница",
        "далее",
        "вперед",
        "вперёд",
        "next",
        "next page",
        "келесі",
        "келесі бет",
        "келесi",
        "показать ещё",
        "показать еще",
        "загрузить ещё",
        "загрузить еще",
        "ещё новости",
        "еще новости",
        "больше новостей",
        "load more",
        "show more",
        "more news",
        "тағы көрсету",
        "көбірек көрсету",
    }
)
_LAST_WORDS = frozenset({"конец", "последняя", "end", "last", "соңы", "соңғы", "соңына"})
_STRONG_ARROWS = frozenset({"›", "→", ">", "⟩", "〉", "▶", "►", "⇒", "❯"})
_WEAK_ARROWS = frozenset({"»"})
_TRIM = " .:»›→>«‹←<|\u00a0"
_CURRENT_CLASS = re.compile(r"(?:^|[-_\s])(?:active|current|selected|cur)(?:$|[-_\s])", re.I)
_PAGER_HINTS = ("pagen_", "showall_", "nav-", "page-")
_PAGER_HINT = re.compile("|".join(_PAGER_HINTS), re.IGNORECASE)
_PAGE_VALUE = re.compile(r"^page-(\d+)$", re.IGNORECASE)
#: Elements with a ``data-*`` attribute that may hold a URL (``data-url``, ``data-next-page``).
_DATA_URL_XPATH = (
    "//*[@*[starts-with(name(), 'data-') and (contains(name(), 'url') or contains(name(), "
    "'href') or contains(name(), 'next') or contains(name(), 'link') or contains(name(), "
    "'page'))]]"
)
_CLASS_WORD_SPLIT = re.compile(r"[-_\s]+")
_SEF_PAGE = re.compile(r"/(?:nav-[\w-]+/)?page-(\d+)/?$", re.IGNORECASE)


@dataclass
class ListPage:
    """What a list page offers the spider."""

    #: Canonical absolute article URLs, unique, in page order.
    article_urls: list[str] = field(default_factory=list)
    #: Absolute URL of the next list page, None on the last page.
    next_url: str | None = None


@dataclass
class ListItems:
    """The repeated items of a list: their article URLs and the item elements."""

    urls: list[str] = field(default_factory=list)
    elements: list[etree._Element] = field(default_factory=list)


@dataclass
class _Link:
    element: etree._Element
    url: str  # canonical

    @functools.cached_property
    def title_like(self) -> bool:
        """:func:`_is_title_like` (several steps ask it of each link: computed once)."""
        return _is_title_like(self.element)


# ---------------------------------------------------------------------------- public


def extract_list_page(html: str, url: str, selectors: Selectors | None = None) -> ListPage:
    """Article links and next-page link of the list page ``html`` served at ``url``."""
    page = ParsedPage(html, url)
    selectors = selectors or Selectors()
    return ListPage(
        article_urls=article_urls(page, selectors),
        next_url=next_page_url(page, selectors),
    )


def is_list_page(html: str, url: str) -> bool:
    """True when :func:`crawler.article_page.classify_page` says ``"list"``."""
    from crawler.article_page import classify_page  # the classifier weighs both kinds

    return classify_page(html, url) == "list"


def article_urls(page: ParsedPage, selectors: Selectors) -> list[str]:
    """Article URLs of a parsed list page (override first, then the generic logic)."""
    section = Section(page.url)
    overridden = _override_article_urls(page, selectors.article_links, section)
    if overridden:
        return overridden
    listed = list_items(page).urls  # memoised: the next-page search asks for it too
    if listed:
        return listed
    links = candidate_links(page, section, skip=_OFF_LIST) or candidate_links(page, section)
    return _unique(link.url for link in links)


def list_items(page: ParsedPage, list_url: str | None = None) -> ListItems:
    """The repeated list items outside chrome and side blocks (empty when there are none).

    Links count when they look like articles of the list at ``list_url`` (default: the
    page itself; the classifier passes the directory above, so that a section page
    ``/news/politics/`` listing ``/news/<code>/`` articles is seen as a list).
    """
    key = f"list_items {list_url or page.url}"
    if key not in page.memo:
        in_content = candidate_links(page, Section(list_url or page.url), skip=_OFF_LIST)
        page.memo[key] = _find_list(page, in_content)
    return page.memo[key]


def has_pager(page: ParsedPage) -> bool:
    """True when the page has pagination links (or a "load more" button) outside side blocks."""
    return any(
        not page.flags.get(anchor, 0) & ASIDE
        for anchor, _url in [*_pager_anchors(page), *_load_more_next(page)]
    )


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
    chosen = {_primary_url(item_links) for item_links in items.values()}
    shapes = {_url_shape(url) for url in chosen}
    container = common_ancestor(items)
    if container is not None and container.getparent() is not None:
        container = container.getparent()  # the list block and its siblings (a featured item)
    item_of = {link.element: item for item, item_links in items.items() for link in item_links}
    urls = []
    for link in links:  # page order
        if link.url in chosen:
            urls.append(link.url)
        elif link.element not in item_of and _is_inside(link.element, container):
            if link.title_like and _url_shape(link.url) in shapes:
                urls.append(link.url)
    return ListItems(urls=_unique(urls), elements=list(items))


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


def _is_inside(element: etree._Element, container: etree._Element | None) -> bool:
    if container is None:
        return False
    return any(ancestor is container for ancestor in element.iterancestors())


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


def _primary_url(links: list[_Link]) -> str:
    """The item's own article: its title-like link, else its most frequent link."""
    for link in links:
        if link.title_like:
            return link.url
    counts = Counter(link.url for link in links)
    return max(counts, key=lambda url: counts[url])  # ties: first in page order


# ------------------------------------------------------------------------- next page


def next_page_url(page: ParsedPage, selectors: Selectors) -> str | None:
    """Absolute URL of the next list page, or None (see module docstring)."""
    current = page.canonical(page.url)
    host = urlsplit(current).netloc.removeprefix("www.")
    stages = (
        lambda: _override_next(page, selectors.next_page),
        lambda: _rel_next(page),
        lambda: _class_next(page),
        lambda: _text_next(page, strong=True),
        lambda: _text_next(page, strong=False),
        lambda: _load_more_next(page),
        lambda: _numbered_next(page),
    )
    for stage in stages:
        usable = [
            (element, url) for element, url in stage() if _is_usable_next(page, url, current, host)
        ]
        if len(usable) > 1:
            usable.sort(key=_next_preference(page))  # stable: page order
        if usable:
            return page.canonical(usable[0][1])
    return None


def _next_preference(page: ParsedPage) -> Callable[[_Candidate], tuple[bool, bool, int]]:
    """Sort key among several next links: outside side blocks first; then links that page
    on the parameter the current URL pages on (``PAGEN_2`` when another paged block comes
    first); then the pager nearest the end of the list's items.
    """
    own = _page_number(page.url)
    items = list_items(page).elements
    list_end = max((page.subtree_end(item) for item in items), default=None)

    def key(candidate: _Candidate) -> tuple[bool, bool, int]:
        element, url = candidate
        found = _page_number(url)
        other_key = own is not None and (found is None or found[0] != own[0])
        distance = 0
        if list_end is not None and element is not None:
            distance = abs(page.order.get(element, 0) - list_end)
        return _in_side_block(page, element), other_key, distance

    return key


_Candidate = tuple[etree._Element | None, str]


def _is_usable_next(page: ParsedPage, url: str, current: str, host: str) -> bool:
    """A web link on the same host that is not the current page itself."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower().removeprefix("www.") != host:
        return False
    return page.canonical(url) != current


def _in_side_block(page: ParsedPage, element: etree._Element | None) -> bool:
    return element is not None and bool(page.flags.get(element, 0) & _OFF_LIST)


def _override_next(page: ParsedPage, query: str | None) -> list[_Candidate]:
    """Links matched by the site's ``next_page`` selector (elements or href strings)."""
    found: list[_Candidate] = []
    for result in select(page.selector, query):
        root = result.root
        if isinstance(root, str):
            href, element = root, None
        else:
            anchor = root if root.get("href") else next(root.iter("a"), None)
            href, element = (anchor.get("href"), anchor) if anchor is not None else (None, None)
        absolute = page.absolute(href)
        if absolute:
            found.append((element, absolute))
    return found


def _rel_next(page: ParsedPage) -> list[_Candidate]:
    """``<link rel="next">`` and ``<a rel="next">``."""
    found: list[_Candidate] = []
    for element in page.root.iter("link", "a"):
        if "next" in element.get("rel", "").lower().split():
            absolute = page.absolute(element.get("href"))
            if absolute:
                found.append((element, absolute))
    return found


def _class_words(element: etree._Element | None) -> set[str]:
    if element is None:
        return set()
    return set(_CLASS_WORD_SPLIT.split(element.get("class", "").lower()))


def _pager_anchors(page: ParsedPage) -> list[tuple[etree._Element, str]]:
    """Links inside a pagination block or to a pagination URL (computed once per page)."""
    if "pager_anchors" not in page.memo:
        found = []
        for anchor in page.anchors:
            href = anchor.get("href") or ""
            in_block = page.flags.get(anchor, 0) & PAGER
            if not in_block and not _hints_pager(href):
                continue  # cheap pre-filter: most links are neither
            absolute = page.absolute(href)
            if absolute and (in_block or is_pagination_url(absolute)):
                found.append((anchor, absolute))
        page.memo["pager_anchors"] = found
    return page.memo["pager_anchors"]


def _hints_pager(value: str) -> bool:
    """``_PAGER_HINT.search(value)``, after a cheap test that spares most values the
    regex: every character the pattern matches ignoring case folds to the pattern's own
    letter (``ſ`` to ``s``), so a match needs a hint in ``value.casefold()``."""
    folded = value.casefold()
    for hint in _PAGER_HINTS:
        if hint in folded:
            return bool(_PAGER_HINT.search(value))
    return False


def _class_next(page: ParsedPage) -> list[_Candidate]:
    """Pager links whose class (or their parent's) has the word "next".

    (``a.modern-page-next``, ``li.bx-pag-next a``, ``.pagination__next``), not disabled.
    """
    found: list[_Candidate] = []
    for anchor, absolute in _pager_anchors(page):
        words = _class_words(anchor) | _class_words(anchor.getparent())
        if "next" in words and "disabled" not in words:
            found.append((anchor, absolute))
    return found


def _link_label(anchor: etree._Element) -> str:
    text = normalize_space(text_content(anchor))
    return text or normalize_space(anchor.get("title") or anchor.get("aria-label"))


def _text_next(page: ParsedPage, strong: bool) -> list[_Candidate]:
    """Links labelled "next" in words (``strong``) or with an arrow (weak ones last)."""
    found: list[_Candidate] = []
    weak: list[_Candidate] = []
    for anchor, absolute in _pager_anchors(page):
        label = _link_label(anchor).lower()
        words = label.strip(_TRIM)
        if words in _LAST_WORDS or label.replace(" ", "") in ("»»", ">>", "»|", ">|", "→|"):
            continue
        if strong and words in _NEXT_WORDS:
            found.append((anchor, absolute))
        elif not strong and label in _STRONG_ARROWS:
            found.append((anchor, absolute))
        elif not strong and label in _WEAK_ARROWS:
            weak.append((anchor, absolute))
    return found or weak


def _load_more_next(page: ParsedPage) -> list[_Candidate]:
    """ "Показать ещё" buttons: a ``data-*`` attribute holding the next page's URL.

    ``<a class="btn-more" data-url="?PAGEN_1=2">``, ``<div data-next-page="/news/?PAGEN_1=2">``:
    the AJAX loader fetches that URL, which serves the next page as a whole. Only values
    that are pagination URLs count (computed once per page).
    """
    if "load_more" not in page.memo:
        found: list[_Candidate] = []
        for element in page.root.xpath(_DATA_URL_XPATH):
            for name, value in element.attrib.items():
                if not name.startswith("data-") or not _hints_pager(value):
                    continue
                absolute = page.absolute(value)
                if absolute and is_pagination_url(absolute):
                    found.append((element, absolute))
                    break
        page.memo["load_more"] = found
    return page.memo["load_more"]


def _page_number(url: str) -> tuple[str, int] | None:
    """``("pagen_1", 3)`` for ``?PAGEN_1=3``; also ``nav-x=page-n`` and ``/page-n/``."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        lowered = key.lower()
        if lowered.startswith("pagen_") and value.strip().isdigit():
            return lowered, int(value)
        match = _PAGE_VALUE.match(value.strip())
        if lowered.startswith("nav-") and match:
            return lowered, int(match.group(1))
    match = _SEF_PAGE.search(unquote(parts.path))
    return ("sef", int(match.group(1))) if match else None


def _highlighted_number(anchors: list[etree._Element]) -> int | None:
    """The current page number shown (not linked) in the pager holding ``anchors``."""
    pager = common_ancestor(anchors)
    if pager is None:
        return None
    if len(anchors) == 1 and pager.getparent() is not None:
        pager = pager.getparent()
    for element in pager.iter(etree.Element):
        if element.tag == "a" or element.get("href"):
            continue
        text = normalize_space(text_content(element))
        if text.isdigit() and _marks_current_page(element):
            return int(text)
    return None


def _marks_current_page(element: etree._Element) -> bool:
    """``<b>3</b>``, ``.bx-active``, ``.modern-page-current``, ``[aria-current]``..."""
    if element.tag in ("b", "strong", "em") or element.get("aria-current"):
        return True
    parent = element.getparent()
    classes = (
        element.get("class", "") + " " + (parent.get("class", "") if parent is not None else "")
    )
    return bool(_CURRENT_CLASS.search(classes))


def _numbered_next(page: ParsedPage) -> list[_Candidate]:
    """The pager link numbered current + 1 (current - 1 for reverse numbering)."""
    numbered: dict[str, dict[int, tuple[etree._Element, str]]] = defaultdict(dict)
    for anchor, absolute in _pager_anchors(page):
        found = _page_number(absolute)
        if found:
            numbered[found[0]].setdefault(found[1], (anchor, absolute))
    if not numbered:
        return []
    own = _page_number(page.url)
    key = own[0] if own and own[0] in numbered else next(iter(numbered))
    pages = numbered[key]
    if own and own[0] == key:
        wanted = own[1] + 1
    else:
        shown = _highlighted_number([anchor for anchor, _url in pages.values()])
        wanted = shown - 1 if shown and shown > 1 else 2
    return [pages[wanted]] if wanted in pages else []
