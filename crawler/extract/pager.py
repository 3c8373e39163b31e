"""A list page's next page, without site-specific configuration.

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
``.modern-page-current``, ``.active``, ``.current``). Reverse numbering
(``bDescPageNumbering``: the bare URL is the newest page, ``?PAGEN_1=1`` the oldest) is
recognised by page numbers that fall in page order (``57 56 55``, in the links' URLs
or in their texts), or by numbers shown that are not the URLs' (the stock
``.default`` template labels ``?PAGEN_1=4`` of 5 as "2"): then the next page is
current-1, and from the bare URL (the newest page) the highest number linked. The
page's own next link is always trusted over counting, so reverse numbering works
whenever the pager has one. A link back to the current page
(or to another host) is not usable: the last page has no next. Among several links
of one stage: outside side blocks first, then those paging on the parameter the
current URL pages on (``?PAGEN_2=2`` → ``PAGEN_2=3``, not the ``PAGEN_1`` pager of an
announcements block above), then the pager nearest the end of the list's items. The
result is canonical; ``?PAGEN_1=1`` stays a page of its own (the oldest one under
reverse numbering: :func:`crawler.extract.urls.canonical_url`).

Imports lxml, :mod:`crawler.extract` (document, regions, text, urls, overrides, vocabulary)
and :mod:`.listing` (the pager nearest the list's items wins).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from crawler.extract.document import ParsedPage, common_ancestor
from crawler.extract.listing import OFF_LIST, list_items
from crawler.extract.overrides import Selectors, select
from crawler.extract.regions import ASIDE, PAGER
from crawler.extract.text import normalize_space, text_content
from crawler.extract.urls import is_pagination_url
from crawler.extract.vocabulary import (
    LAST_ARROWS,
    LAST_PAGE_WORDS,
    NEXT_ARROWS,
    NEXT_PAGE_WORDS,
    WEAK_NEXT_ARROWS,
)

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


def has_pager(page: ParsedPage) -> bool:
    """True when the page has pagination links (or a "load more" button) outside side blocks."""
    return any(
        not page.flags.get(anchor, 0) & ASIDE
        for anchor, _url in [*_pager_anchors(page), *_load_more_next(page)]
    )


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
    return element is not None and bool(page.flags.get(element, 0) & OFF_LIST)


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
        if words in LAST_PAGE_WORDS or label.replace(" ", "") in LAST_ARROWS:
            continue
        if strong and words in NEXT_PAGE_WORDS:
            found.append((anchor, absolute))
        elif not strong and label in NEXT_ARROWS:
            found.append((anchor, absolute))
        elif not strong and label in WEAK_NEXT_ARROWS:
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
    in_order: dict[str, list[int]] = defaultdict(list)
    for anchor, absolute in _pager_anchors(page):
        found = _page_number(absolute)
        if found:
            numbered[found[0]].setdefault(found[1], (anchor, absolute))
            in_order[found[0]].append(found[1])
    if not numbered:
        return []
    own = _page_number(page.url)
    key = own[0] if own and own[0] in numbered else next(iter(numbered))
    pages = numbered[key]
    own_number = own[1] if own and own[0] == key else None
    shown = _highlighted_number([anchor for anchor, _url in pages.values()])
    relabelled = any(
        found[0] == key and found[1] != int(label)
        for anchor, url in _pager_anchors(page)
        if (label := _link_label(anchor)).isdigit() and (found := _page_number(url))
    )
    reverse = (
        relabelled
        or (own_number is not None and shown is not None and shown != own_number)
        or _falls(in_order[key])
        or _falls(_pager_labels(page))
    )
    if own_number is not None:
        wanted = own_number - 1 if reverse else own_number + 1
    elif reverse:  # the bare URL is the newest page: next is the highest number linked
        wanted = max(pages)
    else:
        wanted = 2
    return [pages[wanted]] if wanted in pages else []


def _falls(numbers: list[int]) -> bool:
    """Most steps between consecutive numbers go down."""
    steps = [b - a for a, b in zip(numbers, numbers[1:], strict=False) if b != a]
    return bool(steps) and sum(step < 0 for step in steps) > len(steps) / 2


def _pager_labels(page: ParsedPage) -> list[int]:
    """The numbers shown in the pager, in page order: link texts and the highlighted
    current page (the newest page's link is the bare URL, numbered only by its text)."""
    anchors = [anchor for anchor, _url in _pager_anchors(page)]
    pager = common_ancestor(anchors)
    if pager is None:
        return []
    if len(anchors) == 1 and pager.getparent() is not None:
        pager = pager.getparent()
    numbers = []
    for element in pager.iter("a", "b", "strong", "span"):
        if element.tag != "a" and not _marks_current_page(element):
            continue
        label = normalize_space(text_content(element))
        if label.isdigit():
            numbers.append(int(label))
    return numbers
