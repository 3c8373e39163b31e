"""The date, the view counter and the category of an article.

Searched in the smallest block holding both title and body (the whole page minus
furniture when one is missing), leaving out teaser lists found beside the body; among
several candidates the one nearest the title in page order wins, so dates and counters
of other articles' cards lose to the article's own.

* date: ``<time>``/``[itemprop=datePublished]`` and elements whose class has the word
  date/time/data/pubdate/published/created or a word ending in date/time
  (``span.news-date-time``, ``div.newsDate``) first, then any short text (≤ 80
  characters) where :func:`crawler.extract.dates.find_date` finds a date. The stored
  text is what ``find_date`` returns ("24 Августа, 2022", "24.08.2022 10:15"), not the
  label around it; a dated element whose format ``find_date`` does not know is kept
  whole when it is short and holds a year. Last resort: the short text of a
  date-classed element without any date ("Дата уточняется", "2 часа назад"), so the
  archive shows what the page showed. Machine-readable dates are evidence too, never
  trusted over a visible date: when the page shows no whole date, a ``<time
  datetime>``, ``article:published_time``, ``itemprop=datePublished`` or JSON-LD
  ``datePublished`` whose day and month agree with what is shown ("24 авг") gives the
  date, its value kept as the raw text.
* views: elements with a class word containing "view" (not preview/review), ending in
  count/counter, or show/shows/hits/stat/eye/prosmotr... (``span.views``,
  ``div.newsViews``, ``show_counter``), numbers right after an eye icon (``fa-eye``,
  ``icon-eye``, an ``<img>``/``<svg>`` with "eye"), and labelled texts
  (:data:`~crawler.extract.vocabulary.VIEW_LABELS`: "Просмотров: 409", "Views: 409",
  "Қаралым саны: 409", "409 просмотров"). The raw value is the counter element's text
  ("409", "Просмотров: 1 234"); when the label and number share a longer text, the
  "label: number" part. Never a date, nor a number in comment/like/share/rating
  blocks; none → None.
* category: ``[itemprop=articleSection]`` or a short element whose class names a
  category/rubric/section near the date and title (an inline label: a block holding
  headings, paragraphs, lists or tables is a page section); else the breadcrumb item
  just before the article when the trail has a level between the top and the article
  (``Главная › Новости › Общество › …`` → "Общество"; in ``Главная › Новости › …``
  "Новости" is the list itself, not a category); else None.

Imports lxml, :mod:`crawler.extract` (dates, document, regions, text, vocabulary,
overrides) and :mod:`.common`.

Over 400 lines: the date, the counter and the category are found in one pass over
the same short texts and compete for them, so their rules stay together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.article.common import (
    FURNITURE,
    HEADINGS,
    SEPARATORS,
    SHORT_TEXT,
    Found,
    in_teaser,
    is_furniture,
    marked_elements,
    override_text,
    own_text,
    position,
    similar,
)
from crawler.extract.dates import day_and_month, find_date, is_date_line, parse_date
from crawler.extract.document import ParsedPage
from crawler.extract.overrides import Selectors
from crawler.extract.regions import SOCIAL
from crawler.extract.text import inline_text, normalize_space, text_content
from crawler.extract.vocabulary import (
    APPROXIMATE_UNITS,
    HOME_NAMES,
    LANGUAGE_SEGMENTS,
    NOT_VIEW_WORDS,
    VIEW_LABELS,
    alternation,
)

#: What a page section holds and an inline category label does not.
_SECTION_TAGS = frozenset({*HEADINGS, "p", "ul", "ol", "table"})
_WORD_SPLIT = re.compile(r"[-_\s]+")
_DATE_WORDS = frozenset(
    {"date", "time", "data", "pubdate", "published", "publish", "datetime", "created"}
)
_NOT_DATE_WORDS = frozenset({"read", "reading", "label", "title", "update", "updated"})
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_VIEW_WORDS = frozenset(
    {"count", "counter", "counts", "show", "shows", "showcounter", "eye", "hit", "hits"}
    | {"watch", "watched", "seen", "reads", "stat", "stats"}
)
_NOT_VIEW_WORDS = frozenset({"id", "like", "likes", "dislike", "dislikes"})
#: Class-word parts of counters that are not view counters.
_NOT_VIEW_STEMS = ("comment", "share", "vote", "rating", "reply", "replies", "favorit", "bookmark")
#: Class-word parts containing "view" that are not view counters.
_NOT_VIEW_VIEWS = ("preview", "review", "overview", "viewport", "viewer")
#: Compound class words that end like a date but are not one.
_NOT_DATE_ENDINGS = frozenset({"update", "validate", "candidate", "runtime", "lifetime"})
_NUMBER = r"\d{1,3}(?:[\s\u00a0\u202f,.]\d{3})+(?!\d)|\d+"
_VIEW_LABEL = alternation(VIEW_LABELS)
#: "Просмотров: 409" or "409 просмотров". The lookahead (a label's first letter or a
#: digit) changes no match; it lets the engine pass over other positions at once, several
#: times faster on the long texts of blocks around a counter.
_LABELLED_VIEWS = re.compile(
    rf"(?=[{''.join(sorted({label[0] for label in VIEW_LABELS}))}\d])"
    rf"(?:(?:(?:{_VIEW_LABEL})\s*:?\s*(?:{_NUMBER}))|(?:(?<![\d:.,])(?:{_NUMBER})\s+(?:{_VIEW_LABEL})))",
    re.IGNORECASE,
)
_COUNTER_TEXT = re.compile(
    rf"^\D{{0,30}}(?:(?:{_NUMBER})|\d+[.,]\d\s*(?:{alternation(APPROXIMATE_UNITS)})\.?)\D{{0,20}}$",
    re.IGNORECASE,
)
_NOT_VIEWS_TEXT = re.compile(alternation(NOT_VIEW_WORDS), re.IGNORECASE)
_CATEGORY_CLASS = re.compile(
    r"categor|rubri|(?:^|[-_\s])(?:section|cat|razdel|tag-name|tagname)(?:$|[-_\s])",
    re.IGNORECASE,
)
_DATE_HINT, _VIEW_HINT, _EYE_HINT, _NOT_VIEW_HINT, _CATEGORY_HINT = 1, 2, 4, 8, 16
_hint_cache: dict[str, int] = {}
_DIGIT = re.compile(r"\d")


@dataclass
class _Candidates:
    """Candidates for the date, the view counter and the category, by kind."""

    dates: list[Found] = field(default_factory=list)
    undated: list[Found] = field(default_factory=list)
    text_dates: list[Found] = field(default_factory=list)
    views: list[Found] = field(default_factory=list)
    categories: list[Found] = field(default_factory=list)

    def add_date(self, marked: tuple[Found, bool] | None) -> None:
        if marked:
            (self.dates if marked[1] else self.undated).append(marked[0])


@dataclass
class Meta:
    """The date, counter and category found (None where the page shows none)."""

    date: Found | None
    views: Found | None
    category: Found | None


def find_meta(
    page: ParsedPage,
    selectors: Selectors,
    scope: etree._Element,
    anchor: etree._Element | None,
    teasers: list[etree._Element],
    title: Found | None,
    list_item: bool = False,
) -> Meta:
    """Date, views and category from the candidates in ``scope``, nearest ``anchor``.

    ``list_item``: ``scope`` is one item of a list page and ``anchor`` its title link
    (:mod:`crawler.extract.listed`): a date in running text (a title, a teaser) does not
    count, only a text that is a date line, and the page's breadcrumbs name no category.
    """
    found = _Candidates()
    _collect_classed(page, scope, found)
    _collect_marked(page, scope, found)
    _collect_icons(page, scope, found)
    _collect_texts(page, scope, found, date_lines_only=list_item)

    def nearest(candidates: list[Found]) -> Found | None:
        """The candidate nearest the title (or the body start) in page order; those inside
        teaser blocks ("more news" cards) belong to other articles."""
        kept = [f for f in candidates if not in_teaser(f.element, teasers)]
        if not kept:
            return None
        start = position(page, anchor)
        return min(kept, key=lambda item: abs(position(page, item.element) - start))

    date = (
        _override_date(page, selectors)
        or nearest(found.dates)
        or nearest(found.text_dates)
        or nearest(found.undated)
    )
    if not list_item and not (date and date.overridden):
        date = _with_machine_date(page, scope, date)
    views = override_text(page, selectors.views) or nearest(found.views)
    title_text = title.text if title else None
    category = (
        override_text(page, selectors.category)
        or nearest([c for c in found.categories if c.text != title_text])
        or (None if list_item else _breadcrumb_category(page, title))
    )
    return Meta(date, views, category)


def _collect_classed(page: ParsedPage, scope: etree._Element, found: _Candidates) -> None:
    """Elements (in scope, outside page furniture) whose class names a date, a counter, an
    eye icon or a category."""
    for element, classes in page.classes_within(scope):
        hints = _class_hints(classes)
        if not hints or is_furniture(page, element):
            continue
        if hints & _DATE_HINT:
            found.add_date(_marked_date(element, is_time=False))
        if hints & _CATEGORY_HINT:
            category = _category_text(element)
            if category:
                found.categories.append(category)
        if hints & (_VIEW_HINT | _EYE_HINT) and not _counts_something_else(page, element):
            counter = _classed_counter(element, hints)
            if counter:
                found.views.append(counter)


def _collect_marked(page: ParsedPage, scope: etree._Element, found: _Candidates) -> None:
    """``<time>`` and schema.org ``itemprop`` dates and sections."""
    start, end = page.order.get(scope, 0), page.subtree_end(scope)
    marked = [*scope.iter("time")]
    for name in ("datePublished", "dateCreated", "articleSection"):
        marked.extend(page.itemprops.get(name, []))
    for element in marked:
        if is_furniture(page, element) or not start <= page.order[element] <= end:
            continue
        if element.get("itemprop") == "articleSection":
            category = _category_text(element)
            if category:
                found.categories.append(category)
        else:
            found.add_date(_marked_date(element, is_time=True))


def _collect_icons(page: ParsedPage, scope: etree._Element, found: _Candidates) -> None:
    """Numbers after eye pictures (``<img src=".../eye.svg">``, ``<svg><use href="#eye">``)."""
    for element in scope.iter("img", "use"):
        if not _shows_an_eye(element):
            continue
        icon = element if element.tag == "img" else next(element.iterancestors("svg"), None)
        if icon is None or is_furniture(page, icon) or _counts_something_else(page, icon):
            continue
        counter = _number_after(icon)
        if counter:
            found.views.append(counter)


def _collect_texts(
    page: ParsedPage, scope: etree._Element, found: _Candidates, date_lines_only: bool = False
) -> None:
    """Short text nodes with digits: dates and labelled counters ("Просмотров: 409")."""
    for text, container in _digit_texts(page, scope):
        line = normalize_space(text)
        if not line or len(line) > SHORT_TEXT:
            continue
        date = find_date(line) if not date_lines_only or is_date_line(line) else None
        if date:
            found.text_dates.append(Found(date, container))
        if not (_LABELLED_VIEWS.search(line) or (not date and _COUNTER_TEXT.match(line))):
            continue
        if not is_furniture(page, container, SOCIAL) and not _counts_something_else(
            page, container
        ):
            found.views.extend(_labelled_views(container))


def _digit_texts(page: ParsedPage, scope: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Text pieces (text or tail, up to 400 characters) with a digit, outside furniture."""
    flags = page.flags
    for element in scope.iter(etree.Element):
        text, tail = element.text, element.tail
        if text and len(text) <= 400 and not flags.get(element, 0) & FURNITURE:
            if _DIGIT.search(text):
                yield text, element
        if tail and len(tail) <= 400 and element is not scope and _DIGIT.search(tail):
            parent = element.getparent()
            if not flags.get(parent, 0) & FURNITURE:
                yield tail, parent


def _counts_something_else(page: ParsedPage, element: etree._Element) -> bool:
    """Inside a comment, like, share or rating counter (checked two levels up)."""
    class_of = page.class_of
    parent = element.getparent()
    for node in (element, parent, parent.getparent() if parent is not None else None):
        if node is not None and _class_hints(class_of.get(node, "")) & _NOT_VIEW_HINT:
            return True
    return False


def _override_date(page: ParsedPage, selectors: Selectors) -> Found | None:
    found = override_text(page, selectors.date)
    if found:
        found.text = find_date(found.text) or found.text
    return found


def _with_machine_date(
    page: ParsedPage, scope: etree._Element, shown: Found | None
) -> Found | None:
    """The visible date when it is a whole date; else a machine-readable one that does
    not contradict it (a ``<time datetime>`` in scope, ``article:published_time``,
    ``itemprop=datePublished``, JSON-LD ``datePublished``): its value is the raw text."""
    if shown and find_date(shown.text):
        return shown  # a whole date, read by the fast path (the usual case)
    machine = list(_machine_dates(page, scope))
    if not machine or (shown and parse_date(shown.text)):
        return shown
    day_month = day_and_month(shown.text) if shown else None
    for raw, element in machine:
        iso = parse_date(raw)
        if iso and (day_month is None or day_month == (int(iso[8:10]), int(iso[5:7]))):
            return Found(raw, element)
    return shown


def _machine_dates(
    page: ParsedPage, scope: etree._Element
) -> Iterator[tuple[str, etree._Element | None]]:
    """Machine-readable publication dates of the page, the article's own first."""
    for element in scope.iter("time"):
        if element.get("datetime") and not is_furniture(page, element):
            yield normalize_space(element.get("datetime")), element
    for name in ("article:published_time", "datePublished", "pubdate", "date"):
        value = page.meta(name)
        if value:
            yield value, None
    for element in page.itemprops.get("datePublished", []):
        value = element.get("content") or element.get("datetime")
        if value:
            yield normalize_space(value), element
    for script in page.root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            for value in _json_ld_dates(script.text):
                yield value, None


def _json_ld_dates(text: str) -> list[str]:
    """``datePublished`` values in a JSON-LD block, read tolerantly (bad JSON: none)."""
    try:
        data = json.loads(text.strip().rstrip(";"))
    except ValueError:
        return []
    found: list[str] = []
    stack = [data]
    while stack and len(found) < 5:
        node = stack.pop()
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in reversed(node) if isinstance(v, dict | list))
    return found


def _breadcrumb_category(page: ParsedPage, title: Found | None) -> Found | None:
    for element in marked_elements(page, "crumb"):
        return _category_from_breadcrumbs(element, title)
    return None


# ------------------------------------------------------------------------ candidates


def _marked_date(element: etree._Element, is_time: bool) -> tuple[Found, bool] | None:
    """The text of a ``<time>``, ``itemprop=datePublished`` or date-classed element.

    The flag says whether it holds a date: an element in the date's place showing
    "Дата уточняется" or "2 часа назад" is kept as a last resort (``date_raw`` shows what
    the page shows; parsing it is the normaliser's job).
    """
    text = inline_text(element)
    if len(text) > SHORT_TEXT:
        return None
    raw = find_date(text) if text else None
    if raw:
        return Found(raw, element), True
    if text and len(text) <= 40 and _YEAR.search(text):
        return Found(text, element), True
    if is_time and not text:
        attribute = element.get("datetime") or element.get("content")
        return (Found(normalize_space(attribute), element), True) if attribute else None
    if text and len(text) <= 40 and any(c.isalpha() for c in text):
        return Found(text, element), False
    return None


def _class_hints(value: str) -> int:
    """What a class attribute suggests the element holds (cached per class string)."""
    cached = _hint_cache.get(value)
    if cached is not None:
        return cached
    words = set(_WORD_SPLIT.split(value.lower())) - {""}
    hints = 0
    if any(_is_date_word(w) for w in words) and not words & _NOT_DATE_WORDS:
        hints |= _DATE_HINT
    if any(_is_view_word(w) for w in words):
        hints |= _VIEW_HINT
    if any(w.startswith("eye") or w.endswith("eye") for w in words):
        hints |= _EYE_HINT
    if words & _NOT_VIEW_WORDS or any(stem in w for w in words for stem in _NOT_VIEW_STEMS):
        hints |= _NOT_VIEW_HINT
    if _CATEGORY_CLASS.search(value):
        hints |= _CATEGORY_HINT
    if len(_hint_cache) < 20000:
        _hint_cache[value] = hints
    return hints


def _is_date_word(word: str) -> bool:
    """``date``, ``pubdate``, ``newsDate``, ``item_time``...: a class word naming a date."""
    if word in _DATE_WORDS:
        return True
    return word.endswith(("date", "time", "datum")) and word not in _NOT_DATE_ENDINGS


def _is_view_word(word: str) -> bool:
    """``views``, ``news-views``, ``viewcount``, ``show_counter``, ``prosmotr``...: a counter."""
    if word in _VIEW_WORDS or word.startswith("prosm"):
        return True
    if "view" in word:
        return not any(part in word for part in _NOT_VIEW_VIEWS)
    return word.endswith(("count", "counter")) and word not in ("account", "discount")


def _classed_counter(element: etree._Element, hints: int) -> Found | None:
    """A counter from a view-classed element, or the number after an eye-classed icon."""
    if hints & _EYE_HINT and not normalize_space(text_content(element)):
        return _number_after(element)
    text = inline_text(element)
    return Found(text, element) if _is_counter_text(text) else None


def _shows_an_eye(element: etree._Element) -> bool:
    """An ``<img>`` whose file or alt text, or an SVG ``<use>`` whose symbol, is an eye."""
    if element.tag == "img":
        return "eye" in f"{element.get('src', '')} {element.get('alt', '')}".lower()
    hrefs = [value for name, value in element.attrib.items() if name.endswith("href")]
    return any("eye" in href.lower() for href in hrefs)


def _number_after(icon: etree._Element) -> Found | None:
    """The number shown right after an eye icon: tail text, next element, or parent."""
    tail = normalize_space(icon.tail)
    if tail:
        return Found(tail, icon.getparent()) if _is_counter_text(tail) else None
    following = icon.getnext()
    if following is not None:
        text = inline_text(following)
        if _is_counter_text(text):
            return Found(text, following)
    parent = icon.getparent()
    text = inline_text(parent) if parent is not None else ""
    return Found(text, parent) if _is_counter_text(text) else None


def _is_counter_text(text: str) -> bool:
    return (
        bool(text)
        and len(text) <= 40
        and bool(_COUNTER_TEXT.match(text))
        and not find_date(text)
        and not _NOT_VIEWS_TEXT.search(text)
    )


def _labelled_views(element: etree._Element) -> Iterator[Found]:
    """ "Просмотров: 409" in ``element`` (or its parent, when the number is outside)."""
    for holder in (element, element.getparent()):
        if holder is None:
            return
        text = inline_text(holder) if len(holder) < 20 else own_text(holder)
        match = _LABELLED_VIEWS.search(text)
        if not match or (len(text) > 60 and ":" not in match.group(0)):
            continue
        whole = len(text) <= 40 and not SEPARATORS.sub("", text.replace(match.group(0), ""))
        yield Found(text if whole else match.group(0).strip(), holder)
        return


def _category_text(element: etree._Element) -> Found | None:
    """A category-marked element's text when it is short and not a date.

    A block holding headings or other blocks is a page section, not a rubric label.
    """
    if any(node.tag in _SECTION_TAGS for node in element.iterdescendants()):
        return None  # (cheaper than lxml's multi-tag filter on such small elements)
    text = inline_text(element)
    if 2 <= len(text) <= SHORT_TEXT and any(c.isalpha() for c in text) and not find_date(text):
        return Found(text, element)
    return None


def _category_from_breadcrumbs(crumbs: etree._Element, title: Found | None) -> Found | None:
    """The breadcrumb item just before the article, when it is below the news list.

    ``Home › News › Politics › Article`` gives "Politics"; in ``Home › News › Article``
    the item before the article is the list itself, not a category: None.
    """
    items = [
        (text, link)
        for link in crumbs.iter("a")
        if (text := inline_text(link)) and not _is_home_link(link, text)
    ]
    if title and items and similar(items[-1][0], title.text):
        items = items[:-1]
    if len(items) < 2:
        return None
    text, link = items[-1]
    return Found(text, link)


def _is_home_link(link: etree._Element, text: str) -> bool:
    segments = [s for s in urlsplit(link.get("href", "")).path.split("/") if s]
    home_path = not segments or (len(segments) == 1 and segments[0].lower() in LANGUAGE_SEGMENTS)
    return home_path or text.casefold() in HOME_NAMES
