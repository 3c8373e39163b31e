"""What the article field rules share: a found value, text measures, teaser blocks,
title comparison, overrides, links up to the article's list.

Imports lxml, :mod:`crawler.extract.document`, :mod:`~crawler.extract.regions`,
:mod:`~crawler.extract.text`, :mod:`~crawler.extract.overrides` and
:mod:`~crawler.extract.urls`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.document import ParsedPage, is_inside, resolve_href
from crawler.extract.overrides import select
from crawler.extract.regions import ASIDE, CHROME, DROPPED
from crawler.extract.text import inline_text, normalize_space, text_content
from crawler.extract.urls import canonical_url

#: Regions that are never a source of any field (page chrome, side blocks, scripts).
FURNITURE = CHROME | ASIDE | DROPPED
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Links of 15+ characters look like titles (of teasers, cards, related news).
TEASER_TITLE = 15
#: Texts up to this length may be a date, a counter or a category line.
SHORT_TEXT = 80
#: A line around the text (date, counter, category) holds at most this much text.
META_LINE = 100
_WORD_SPLIT = re.compile(r"[-_\s]+")
_NOT_WORD = re.compile(r"[\W_]+")
_TITLE_CLASS = re.compile(r"title|headline|heading", re.IGNORECASE)
#: Separators between field values on one line ("24.08.2022 | 409").
SEPARATORS = re.compile(r"[\s|/•·,:;—–\-]+")


@dataclass
class Found:
    """A field's raw text and the element it came from (None for meta tags)."""

    text: str
    element: etree._Element | None = None
    #: Taken from a site's selector override.
    overridden: bool = False


def is_furniture(page: ParsedPage, element: etree._Element, mask: int = FURNITURE) -> bool:
    """``element`` sits in one of the regions ``mask`` names."""
    return bool(page.flags.get(element, 0) & mask)


def in_teaser(element: etree._Element | None, teasers: list[etree._Element]) -> bool:
    """``element`` lies in one of the ``teasers`` blocks (cards of other articles)."""
    return element is not None and any(is_inside(element, t) for t in teasers)


def position(page: ParsedPage, element: etree._Element | None) -> int:
    """Where ``element`` is in page order (0 for None)."""
    return page.order.get(element, 0) if element is not None else 0


# ----------------------------------------------------------------------- overrides


def override_elements(page: ParsedPage, query: str | None) -> list[etree._Element]:
    """The elements a site's selector matches (strings left out)."""
    return [
        result.root
        for result in select(page.selector, query)
        if isinstance(result.root, etree._Element)
    ]


def override_text(page: ParsedPage, query: str | None) -> Found | None:
    """The first non-empty text a site's selector matches."""
    for result in select(page.selector, query):
        root = result.root
        text = normalize_space(root) if isinstance(root, str) else inline_text(root)
        if text:
            element = root if isinstance(root, etree._Element) else None
            return Found(text, element, overridden=True)
    return None


def marked_elements(page: ParsedPage, stem: str) -> Iterator[etree._Element]:
    """Elements whose class, then those whose id, contains ``stem``."""
    for element, classes in page.classes_within():
        if stem in classes.lower():
            yield element
    for element, ident in page.id_of.items():
        if stem in ident.lower():
            yield element


# --------------------------------------------------------------------- text measures


def own_text(element: etree._Element) -> str:
    """Text directly inside ``element`` (not in child elements): bare text with ``<br>``."""
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return normalize_space("".join(parts))


def own_text_length(element: etree._Element) -> int:
    """About ``len(own_text(element))``, without building the string."""
    length = len(element.text.strip()) if element.text else 0
    for child in element:
        if child.tail:
            length += len(child.tail.strip())
    return length


def text_length(element: etree._Element) -> int:
    return len(normalize_space(text_content(element)))


def link_density(element: etree._Element, ignored: Sequence[etree._Element] = ()) -> float:
    """Share of the text of ``element`` that is link text (``ignored`` blocks left out)."""
    inside = [block for block in ignored if is_inside(block, element)]
    total = text_length(element) - sum(text_length(block) for block in inside)
    if total <= 0:
        return 1.0
    linked = sum(
        text_length(a)
        for a in element.iter("a")
        if not any(is_inside(a, block) for block in inside)
    )
    return linked / total


def is_teaser_list(element: etree._Element, known: Sequence[etree._Element]) -> bool:
    """A block of teasers ("more news" cards): 3+ title links to other pages, much link text.

    Links inside ``known`` teaser blocks do not count (a block holding the article and a
    teaser list below it is not a teaser list itself).
    """
    titles = {
        a.get("href")
        for a in element.iter("a")
        if a.get("href")
        and len(normalize_space(text_content(a))) >= TEASER_TITLE
        and not any(is_inside(a, teaser) for teaser in known)
    }
    return len(titles) >= 3 and link_density(element, known) >= 0.25


def meta_line(element: etree._Element, root: etree._Element) -> etree._Element:
    """The largest block around ``element`` (below ``root``) that is only a short line."""
    node = element
    parent = node.getparent()
    while parent is not None and parent is not root and text_length(parent) <= META_LINE:
        node, parent = parent, parent.getparent()
    return node


# ---------------------------------------------------------------------------- titles


@functools.lru_cache(maxsize=4096)
def is_title_class(value: str) -> bool:
    """A class naming a title (``news-title``, ``detail__heading``), not a subtitle."""
    words = _WORD_SPLIT.split(value.lower())
    return any(_TITLE_CLASS.search(word) and not word.startswith(("sub", "pre")) for word in words)


def similar(candidate: str, reference: str) -> bool:
    """Same title modulo case, quotes and punctuation; or one a large prefix of the other."""
    a, b = title_key(candidate), title_key(reference)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 0.6 * len(longer) and longer.startswith(shorter)


@functools.lru_cache(maxsize=16384)
def key(text: str) -> str:
    """``text`` for comparisons: spaces collapsed, case folded (memoised: menu and link
    texts recur on every page)."""
    return normalize_space(text).casefold()


@functools.lru_cache(maxsize=256)
def title_key(text: str) -> str:
    """``text`` for title comparisons: case folded, words only (memoised: each reference
    is compared with every candidate, and a site's name recurs on every page)."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


# ------------------------------------------------------------- the article's lists


@functools.lru_cache(maxsize=256)
def list_urls_above(url: str) -> frozenset[str]:
    """Canonical URLs of the directories above an article URL (its lists), except ``/``."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    base = f"{parts.scheme}://{parts.netloc}/"
    return frozenset(
        canonical_url(base + "/".join(segments[:n]) + "/") for n in range(1, len(segments))
    )


@functools.lru_cache(maxsize=16384)
def links_into(base: str, href: str, lists: frozenset[str]) -> bool:
    """``href`` (joined to ``base``) leads to one of the canonical URLs ``lists``."""
    absolute = resolve_href(base, href)
    return bool(absolute) and canonical_url(absolute) in lists
