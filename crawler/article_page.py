"""Article page → raw fields, and list/article/other page classification.

Every field is taken from a site's ``Selectors`` override when it is set and matches
non-empty text; otherwise the generic rules below run. Page furniture (header, footer,
menus, breadcrumbs, sidebars, "popular"/"related" blocks, share/social/comment blocks:
:func:`crawler.text.region_flags`) is never a source, except breadcrumbs for the
category.

Body (found first, it anchors everything else)
    ``[itemprop=articleBody]``; else the default ``news.detail`` block ``div.news-detail``,
    read up to its last ``<div style="clear:both">`` (after it the template prints
    property lines such as "Количество просмотров: 409" and the share block); else the
    block with the most paragraph text: every ``<p>``/``<blockquote>``/``<pre>``/``<li>`` of
    20+ characters adds its length to its parent and half to its grandparent (a ``<div>``
    holding a single run of text counts as a paragraph), and bare text between ``<br>``s
    adds to its own element. Among the 20 best blocks, the first that is neither mostly
    link text nor a *teaser list* wins; a teaser list (3+ links with title-length text
    to different pages, 25%+ link text: "more news" cards, the items of a list page) and
    everything inside it are passed over, and a winner holding one is read without it.
    A block just before the winner with 40+ characters of text, no links and no headings
    (a lead) is merged in. Inside the body, furniture, the title, headings
    repeating the title, ``<h1>``, the date / counter / category lines, tag and property
    lists and the back link ("Возврат к списку", "Back to the list", "Тізімге қайту"...)
    are left out, and leading or trailing paragraphs that hold only those values or their
    labels are dropped. Links to other articles pasted into the text go too: a short
    paragraph opening with "Читайте также"/"Read also"/"Сондай-ақ оқыңыз" (looser labels
    such as "По теме" only alone or before a colon), and a label standing alone with only
    short lines (the linked titles) after it ends the text. Paragraphs are separated by
    one blank line (:func:`crawler.text.block_text`).
Title
    Candidates in order: ``<h1>`` outside page furniture (not a logo or the site name),
    ``[itemprop=headline]``, elements with ``title``/``headline``/``heading`` in their class
    near the body (a styled ``<span>`` in a title block), ``<h2>``/``<h3>`` in the body block
    (the default template's ``<h3>``). When ``og:title`` or the ``<title>`` (site name
    removed) is available, the first candidate matching it wins, so a section name in
    ``<h1>`` loses to the article title in a title block; else the first candidate; else
    ``og:title``; else the ``<title>`` without the site name (``Title | Site``,
    ``Title - Site``; ``Site - Title`` when the site name is known from ``og:site_name`` or
    the logo). A candidate or reference that reads like a link to a list above the
    article ("Новости" where a menu or breadcrumb links ``/ru/news/`` so) is the section's
    name, not the title: such candidates come last and such references do not count.
Date, views, category
    Searched in the smallest block holding both title and body (the whole page minus
    furniture when one is missing), leaving out teaser lists found beside the body; among
    several candidates the one nearest the title in page order wins, so dates and
    counters of other articles' cards lose to the article's own.

    * date: ``<time>``/``[itemprop=datePublished]`` and elements whose class has the word
      date/time/data/pubdate/published/created or a word ending in date/time
      (``span.news-date-time``, ``div.newsDate``) first,
      then any short text (≤ 80 characters) where :func:`crawler.dates.find_date` finds a
      date. The stored text is what ``find_date`` returns ("24 Августа, 2022",
      "24.08.2022 10:15"), not the label around it; a dated element whose format
      ``find_date`` does not know is kept whole when it is short and holds a year. Last
      resort: the short text of a date-classed element without any date ("Дата
      уточняется", "2 часа назад"), so the archive shows what the page showed.
    * views: elements with a class word containing "view" (not preview/review), ending
      in count/counter, or show/shows/hits/stat/eye/prosmotr... (``span.views``,
      ``div.newsViews``, ``show_counter``),
      numbers right after an eye icon (``fa-eye``, ``icon-eye``, an ``<img>``/``<svg>``
      with "eye"), and labelled texts ("Просмотров: 409", "Количество просмотров: 409",
      "Просмотры 409", "Views: 409", "Қаралым саны: 409", "Қаралды: 409", "409
      просмотров"). The raw value is the counter element's text ("409", "Просмотров:
      1 234"); when the label and number share a longer text, the "label: number" part.
      Never a date, nor a number in comment/like/share/rating blocks; none → None.
    * category: ``[itemprop=articleSection]`` or a short element whose class names a
      category/rubric/section near the date and title (an inline label: a block holding
      headings, paragraphs, lists or tables is a page section); else the breadcrumb item just
      before the article when the trail has a level between the top and the article
      (``Главная › Новости › Общество › …`` → "Общество"; in ``Главная › Новости › …``
      "Новости" is the list itself, not a category); else None.
Images
    In the article block (the smallest block holding the body and the date, counter and
    category found; ``div.news-detail`` itself for the default template): ``<img>``
    (``data-src`` and similar lazy-loading attributes first) and CSS background images, in
    page order (the detail picture comes before the body's images), teaser lists left
    out; a thumbnail linking to an image file (a gallery, a lightbox) gives that file.
    Kept: ``/upload/``
    images and images of the body text or 200+ px wide; dropped: logos, icons, sprites,
    avatars, counters, template assets (``/bitrix/``, ``/local/templates/``), data URIs,
    and thumbnails linking to other pages (cards of related news). When the article
    block has no image, ``og:image`` is used if it is an ``/upload/`` file (Bitrix
    themes fill it from the detail picture; site-wide defaults live in the template).
Lang
    ``<html lang>`` (``ru-RU`` → ``ru``, ``kz`` → ``kk``), then ``og:locale``, then the first
    path segment of the URL (``/ru/``, ``/kz/``, ``/kk/``, ``/en/``).
Page type (:func:`classify_page`; :func:`read_page` classifies and extracts in one parse)
    "other" for search URLs and error pages served with status 200 ("404", "Страница не
    найдена", "Элемент не найден", "Page not found", "Бет табылмады" with little text);
    "list" when three or more list items are found (:func:`crawler.list_page.list_items`,
    counting links into the directory *above* the page, so a section page
    ``/news/politics/`` listing ``/news/<code>/`` is a list too) and the page has a pager
    or its body block is the list or lies inside one item; "article" when there is a
    title and a body of substance (150+ characters, or 20+ with a date); "list" again
    for two items; "other" otherwise.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree
from w3lib.url import safe_url_string

from crawler.dates import find_date
from crawler.items import ArticleFields
from crawler.list_page import has_pager, list_items
from crawler.site_profiles import Selectors, select
from crawler.text import (
    ASIDE,
    BLOCK_TAGS,
    BOILERPLATE,
    CHROME,
    DROPPED,
    SOCIAL,
    ParsedPage,
    block_text,
    common_ancestor,
    inline_text,
    normalize_space,
    paragraphs,
    resolve_href,
    text_content,
)
from crawler.urls import canonical_url

PageType = Literal["list", "article", "other"]

_FURNITURE = CHROME | ASIDE | DROPPED
_PARAGRAPH_TAGS = frozenset({"p", "blockquote", "pre", "li"})
_CONTAINER_TAGS = frozenset({"div", "td", "section", "article", "main", "font", "center", "dd"})
_BLOCK_OR_BREAK = BLOCK_TAGS | {"br"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: What a page section holds and an inline category label does not.
_SECTION_TAGS = frozenset({*_HEADINGS, "p", "ul", "ol", "table"})
_MIN_PARAGRAPH = 20
_TEASER_TITLE = 15
_LEAD_MIN = 40
_SHORT_TEXT = 80
_META_LINE = 100
_CLEAR = re.compile(r"clear\s*:\s*both", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[-_\s]+")
_NOT_WORD = re.compile(r"[\W_]+")

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
_VIEW_LABELS = (
    r"количество\s+просмотров",
    r"просмотр(?:ов|ы|ено)?",
    "прочитано",
    "прочтений",
    "views?",
    "viewed",
    "hits",
    r"қаралым\s+саны",
    "қаралым",
    "қаралды",
    "қаралған",
)
_VIEW_LABEL = "|".join(_VIEW_LABELS)
#: "Просмотров: 409" or "409 просмотров". The lookahead (a label's first letter or a
#: digit) changes no match; it lets the engine pass over other positions at once, several
#: times faster on the long texts of blocks around a counter.
_LABELLED_VIEWS = re.compile(
    rf"(?=[{''.join(sorted({label[0] for label in _VIEW_LABELS}))}\d])"
    rf"(?:(?:(?:{_VIEW_LABEL})\s*:?\s*(?:{_NUMBER}))|(?:(?<![\d:.,])(?:{_NUMBER})\s+(?:{_VIEW_LABEL})))",
    re.IGNORECASE,
)
_COUNTER_TEXT = re.compile(
    rf"^\D{{0,30}}(?:(?:{_NUMBER})|\d+[.,]\d\s*(?:тыс|млн|k|m)\.?)\D{{0,20}}$", re.IGNORECASE
)
_NOT_VIEWS_TEXT = re.compile(r"коммент|comment|лайк|like|нрав|пікір|голос|vote", re.IGNORECASE)
_CATEGORY_CLASS = re.compile(
    r"categor|rubri|(?:^|[-_\s])(?:section|cat|razdel|tag-name|tagname)(?:$|[-_\s])",
    re.IGNORECASE,
)
_TITLE_CLASS = re.compile(r"title|headline|heading", re.IGNORECASE)
_BACK_LINK = re.compile(
    r"^[←«<\s]*(?:возврат к списку|вернуться к списку|вернуться назад|вернуться"
    r"|назад к списку(?: новостей)?|к списку новостей|все новости|назад"
    r"|back to (?:the )?list|back to news|back|all news"
    r"|тізімге қайту|тізімге оралу|барлық жаңалықтар|артқа|қайту)[\s→»>]*$",
    re.IGNORECASE,
)
_HOME = frozenset({"главная", "главная страница", "home", "басты бет", "басты", "main"})
_META_LABELS = re.compile(
    rf"{_VIEW_LABEL}|опубликовано|дата публикации|дата|рубрика|категория|раздел|published"
    r"|date|category|жарияланды|жарияланған күні|санат|айдар|автор|author",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s|/•·,:;—–\-]+")
#: "Title | Site", "Title - Site" (the lookahead, a first character every separator has,
#: changes no match and spares the engine the other positions).
_TITLE_SEPARATOR = re.compile(r"(?=[\s|:])(?:\s*(?:\||::)\s*|\s+[-–—/·•»]\s+)")
_ERROR_TEXT = re.compile(
    r"\b404\b|страница не найдена|элемент не найден|не найдена|page not found|not found"
    r"|бет табылмады|табылмады",
    re.IGNORECASE,
)
#: Labels of links to other articles ("Читайте также", "Read also", "Сондай-ақ оқыңыз"):
#: unambiguous ones open a line; loose ones ("По теме") only alone or before a colon.
_READ_ALSO = re.compile(
    r"(?:(?:читайте|читать|смотрите)\s+(?:также|тоже|ещё|еще)|см\.\s*также"
    r"|(?:read|see)\s+also|сондай[-\s]ақ\s+оқыңыз|оқи\s+отырыңыз)"
    r"|(?:по\s+теме|похожие\s+(?:новости|материалы)|другие\s+новости|read\s+more"
    r"|related(?:\s+(?:news|articles|stories))?|more\s+on\s+this(?:\s+topic)?|оқыңыз"
    r"|тақырыпқа\s+орай)\s*(?:[:—–]|$)",
    re.IGNORECASE,
)
_READ_ALSO_LINE = 200
_READ_ALSO_ITEMS = 8
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-srcset", "src")
_NOT_CONTENT_MARK = re.compile(
    r"logo|icon|sprite|avatar|counter|pixel|spacer|blank|emoji|banner|button|social|share"
    r"|rating|captcha|loader|placeholder",
    re.IGNORECASE,
)
_NOT_CONTENT_FILE = re.compile(
    r"logo|icon|sprite|avatar|spacer|blank|pixel|placeholder|loader", re.IGNORECASE
)
_TEMPLATE_ASSET = re.compile(r"/bitrix/|/local/templates/|/templates/|/local/assets/", re.I)
#: URLs that :func:`w3lib.url.safe_url_string` returns unchanged: lower-case http(s)
#: scheme and host, a port below 10000, a path and a query of characters it never escapes
#: (no spaces, quotes, brackets, ``#`` or non-ASCII letters).
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9.-]+(?::[1-9][0-9]{0,3})?"
    r"/[A-Za-z0-9\-._~!$&()*+,;=:@/%]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/%?]+)?"
)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", re.IGNORECASE)
_LANG_SEGMENT = {"ru": "ru", "kz": "kk", "kk": "kk", "en": "en", "qaz": "kk"}
_DATE_HINT, _VIEW_HINT, _EYE_HINT, _NOT_VIEW_HINT, _CATEGORY_HINT = 1, 2, 4, 8, 16
_hint_cache: dict[str, int] = {}
_DIGIT = re.compile(r"\d")


@dataclass
class _Found:
    """A field's raw text and the element it came from (None for meta tags)."""

    text: str
    element: etree._Element | None = None


@dataclass
class _MetaCandidates:
    """Candidates for the date, the view counter and the category, by kind."""

    dates: list[_Found] = field(default_factory=list)
    undated: list[_Found] = field(default_factory=list)
    text_dates: list[_Found] = field(default_factory=list)
    views: list[_Found] = field(default_factory=list)
    categories: list[_Found] = field(default_factory=list)

    def add_date(self, marked: tuple[_Found, bool] | None) -> None:
        if marked:
            (self.dates if marked[1] else self.undated).append(marked[0])


@dataclass
class _Body:
    """The element(s) holding the article text and how to read them."""

    elements: list[etree._Element]
    stop_at: etree._Element | None = None
    skip: set[etree._Element] = field(default_factory=set)
    #: Taken from a site's selector: read as is, no clean-up.
    overridden: bool = False


# ---------------------------------------------------------------------------- public


def extract_article_page(html: str, url: str, selectors: Selectors | None = None) -> ArticleFields:
    """Raw fields of the article page ``html`` served at ``url``."""
    return ArticleReader(ParsedPage(html, url), selectors or Selectors()).fields()


def classify_page(html: str, url: str) -> PageType:
    """``"list"``, ``"article"`` or ``"other"`` (see the module docstring)."""
    return classify_parsed(ParsedPage(html, url))


def is_article_page(html: str, url: str) -> bool:
    """True when the page is a single article worth storing."""
    return classify_page(html, url) == "article"


def read_page(
    html: str, url: str, selectors: Selectors | None = None
) -> tuple[PageType, ArticleFields | None]:
    """The page type and, for an article, its fields: one parse for both.

    Same results as :func:`classify_page` plus :func:`extract_article_page`, at about
    half the cost (what a spider wants for every fetched article URL).
    """
    page = ParsedPage(html, url)
    selectors = selectors or Selectors()
    generic = ArticleReader(page, Selectors())
    kind = classify_parsed(page, generic)
    if kind != "article":
        return kind, None
    reader = generic if selectors == Selectors() else ArticleReader(page, selectors)
    return kind, reader.fields()


def classify_parsed(page: ParsedPage, reader: ArticleReader | None = None) -> PageType:
    """:func:`classify_page` on an already parsed page (``reader``: its generic reader)."""
    if _is_search_url(page.url):
        return "other"
    reader = reader or ArticleReader(page, Selectors())
    body = reader.body_text
    if _looks_like_error(reader, body):
        return "other"
    items = list_items(page, _parent_list_url(page.url))
    if len(items.urls) >= 3 and (has_pager(page) or _body_is_list(reader, items.elements)):
        return "list"
    has_date = reader.date is not None
    if reader.title and len(body) >= (20 if has_date else 150):
        return "article"
    return "list" if len(items.urls) >= 2 else "other"


# ----------------------------------------------------------------------- the reader


class ArticleReader:
    """Finds each field of one parsed article page; see the module docstring."""

    def __init__(self, page: ParsedPage, selectors: Selectors) -> None:
        self.page = page
        self.selectors = selectors
        self.flags = page.flags
        self.body = self._find_body()
        self.title = self._find_title()
        self.anchor = self._anchor()
        self.scope = self._meta_scope()
        self.teasers = self._teaser_blocks()
        self.date, self.views, self.category = self._find_meta()
        self.body_text = self._read_body()

    def fields(self) -> ArticleFields:
        """The extracted :class:`~crawler.items.ArticleFields`."""
        return ArticleFields(
            title=self.title.text if self.title else None,
            date_raw=self.date.text if self.date else None,
            views_raw=self.views.text if self.views else None,
            body=self.body_text or None,
            category=self.category.text if self.category else None,
            image_urls=self._find_images(),
            lang=self._find_lang(),
        )

    # -- helpers ---------------------------------------------------------------------

    def _is_furniture(self, element: etree._Element, mask: int = _FURNITURE) -> bool:
        return bool(self.flags.get(element, 0) & mask)

    def _override(self, query: str | None) -> list[etree._Element]:
        return [
            result.root
            for result in select(self.page.selector, query)
            if isinstance(result.root, etree._Element)
        ]

    def _override_text(self, query: str | None) -> _Found | None:
        for result in select(self.page.selector, query):
            root = result.root
            text = normalize_space(root) if isinstance(root, str) else inline_text(root)
            if text:
                return _Found(text, root if isinstance(root, etree._Element) else None)
        return None

    def _position(self, element: etree._Element | None) -> int:
        return self.page.order.get(element, 0) if element is not None else 0

    def _nearest(self, found: list[_Found]) -> _Found | None:
        """The candidate nearest the title (or the body start) in page order.

        Candidates inside teaser blocks ("more news" cards) belong to other articles.
        """
        found = [f for f in found if not self._in_teaser(f.element)]
        if not found:
            return None
        anchor = self._position(self.anchor)
        return min(found, key=lambda item: abs(self._position(item.element) - anchor))

    def _in_teaser(self, element: etree._Element | None) -> bool:
        return element is not None and any(_is_inside(element, t) for t in self.teasers)

    def _teaser_blocks(self) -> list[etree._Element]:
        """Teaser lists beside the body: siblings of the body and of its ancestors in scope."""
        found = [t for t in self.body.skip if _is_teaser_list(t, [])] if self.body else []
        if self.body is None or self.body.overridden:
            return found
        node = self.body.elements[0]
        while node is not None and node is not self.scope:
            parent = node.getparent()
            for sibling in parent if parent is not None else ():
                if sibling is node or not isinstance(sibling.tag, str) or sibling in found:
                    continue
                if _is_teaser_list(sibling, found):
                    found.append(sibling)
            node = parent
        return found

    # -- body --------------------------------------------------------------------------

    def _find_body(self) -> _Body | None:
        overridden = self._override(self.selectors.body)
        if overridden and any(inline_text(element) for element in overridden):
            return _Body(overridden, overridden=True)
        for element in self.page.itemprops.get("articleBody", []):
            if not self._is_furniture(element):
                return _Body([element])
        for element, classes in self.page.classes_within():
            if (
                "news-detail" in classes  # cheap test first
                and "news-detail" in classes.split()
                and not self._is_furniture(element)
            ):
                return _Body([element], stop_at=_last_clear_div(element))
        return self._densest_block()

    def _densest_block(self) -> _Body | None:
        scores: dict[etree._Element, float] = {}
        for element in self.page.root.iter(etree.Element):
            if self.flags.get(element, 0) & BOILERPLATE:
                continue
            parent = element.getparent()
            if parent is None or parent.tag in _PARAGRAPH_TAGS:
                continue
            if element.tag in _PARAGRAPH_TAGS:
                length = _text_length(element)
                is_paragraph = True
            elif element.tag in _CONTAINER_TAGS:
                length = _own_text_length(element)
                is_paragraph = not any(child.tag in _BLOCK_OR_BREAK for child in element)
            else:
                continue
            if length < _MIN_PARAGRAPH:
                continue
            if is_paragraph:  # <p>, or a <div> holding one run of text: scores its parent
                _add(scores, parent, length)
                _add(scores, parent.getparent(), length / 2)
            else:  # bare text between <br>s or blocks: the element itself is the text block
                _add(scores, element, length)
                _add(scores, parent, length / 2)
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:20]
        teasers: list[etree._Element] = []
        for element in ranked:
            if any(_is_inside(element, teaser) for teaser in teasers):
                continue
            if _is_teaser_list(element, teasers):
                teasers.append(element)
            elif _link_density(element, teasers) <= 0.5:
                body = self._with_lead(element)
                body.skip.update(t for t in teasers if _is_inside(t, body.elements[0]))
                return body
        return _Body([ranked[0]]) if ranked else None

    def _with_lead(self, best: etree._Element) -> _Body:
        """Merge a lead block just before ``best``: 60+ characters, no links, no headings."""
        parent = best.getparent()
        previous = best.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if (
            parent is None
            or previous is None
            or previous.tag not in _CONTAINER_TAGS | _PARAGRAPH_TAGS
            or self._is_furniture(previous, BOILERPLATE)
            or _is_title_class(previous.get("class", ""))
            or next(previous.iter("a", *_HEADINGS), None) is not None
            or _text_length(previous) < _LEAD_MIN
        ):
            return _Body([best])
        keep = {best, previous}
        return _Body([parent], skip={child for child in parent if child not in keep})

    def _read_body(self) -> str:
        if self.body is None:
            return ""
        if self.body.overridden:
            texts = [block_text(element) for element in self.body.elements]
            return "\n\n".join(text for text in texts if text)
        root = self.body.elements[0]
        skip = set(self.body.skip) | self._body_skips(root)
        kept = paragraphs(root, skip, self.body.stop_at)
        return "\n\n".join(_drop_read_also(self._trim_meta_paragraphs(kept)))

    def _body_skips(self, root: etree._Element) -> set[etree._Element]:
        """Elements inside the body block that are not article text."""
        base = self.flags.get(root, 0)
        title = self.title.text.casefold() if self.title else None
        skip: set[etree._Element] = {t for t in self.teasers if _is_inside(t, root)}
        lists = _list_urls_above(self.page.url)
        for element in root.iter(etree.Element):
            if self.flags.get(element, 0) & ~base & BOILERPLATE or element.tag == "h1":
                skip.add(element)
            elif element.tag in _HEADINGS and title and inline_text(element).casefold() == title:
                skip.add(element)
            elif element.tag == "a" and _is_back_link(element, lists, self.page):
                skip.add(_meta_line(element, root))
        for found in (self.title, self.date, self.views, self.category):
            if found and found.element is not None and _is_inside(found.element, root):
                line = _meta_line(found.element, root)
                if line is not root and _text_length(line) <= _META_LINE:
                    skip.add(line)
        return skip

    def _trim_meta_paragraphs(self, kept: list[str]) -> list[str]:
        values = [f.text for f in (self.title, self.date, self.views, self.category) if f]
        while kept and _is_meta_only(kept[0], values):
            kept = kept[1:]
        while kept and _is_meta_only(kept[-1], values):
            kept = kept[:-1]
        return kept

    # -- title -------------------------------------------------------------------------

    def _find_title(self) -> _Found | None:
        overridden = self._override_text(self.selectors.title)
        if overridden:
            return overridden
        site_names = self._site_names()
        og_title = self.page.meta("og:title", "twitter:title")
        page_title = _strip_site_name(self._title_tag(), site_names)
        stripped_og = _strip_site_name(og_title, site_names) if og_title else None
        candidates = [c for c in self._title_candidates(site_names) if c.text]
        references = [ref for ref in (og_title, stripped_og, page_title) if ref]
        sections = self._section_names(
            {_key(text) for text in (*references, *(c.text for c in candidates))}
        )
        references = [ref for ref in references if _key(ref) not in sections]
        # "Новости" in <h1> over every article: the section's name, not the title
        candidates.sort(key=lambda c: _key(c.text) in sections)  # stable
        for candidate in candidates:
            if any(_similar(candidate.text, reference) for reference in references):
                return candidate
        if candidates:
            return candidates[0]
        for reference in references:
            return _Found(reference)
        return None

    def _section_names(self, texts: set[str]) -> set[str]:
        """Those of ``texts`` that name a list above the article: a link to ``/ru/news/``
        reads "Новости" (the test on the link text comes first: it is the cheap one)."""
        lists = _list_urls_above(self.page.url)
        found = set()
        for anchor in self.page.anchors:
            text = _key(text_content(anchor))
            if text not in texts or text in found:
                continue
            href = anchor.get("href")
            if href and _links_into(self.page.join_base(href), href, lists):
                found.add(text)
        return found

    def _title_tag(self) -> str:
        return self.page.title_tag()

    def _site_names(self) -> list[str]:
        names = [self.page.meta("og:site_name")]
        for element in self._marked_elements("logo"):
            if self._is_furniture(element, CHROME):
                names.append(inline_text(element))
                names.extend(img.get("alt") for img in element.iter("img"))
                break
        return [normalize_space(name) for name in names if name and normalize_space(name)]

    def _title_candidates(self, site_names: list[str]) -> Iterator[_Found]:
        site = {name.casefold() for name in site_names}
        for h1 in self.page.root.iter("h1"):
            text = inline_text(h1)
            if not self._is_furniture(h1) and text and text.casefold() not in site:
                yield _Found(text, h1)
        for element in self.page.itemprops.get("headline", []):
            if not self._is_furniture(element):
                yield _Found(inline_text(element), element)
        yield from self._title_blocks()

    def _title_blocks(self) -> Iterator[_Found]:
        """Title-classed elements and ``h2``/``h3`` near the body, nearest first."""
        if self.body is None:
            return
        body = self.body.elements[0]
        area = body
        for _level in range(3):
            if area.getparent() is not None:
                area = area.getparent()
        titled = [
            element
            for element, classes in self.page.classes_within(area)
            if _is_title_class(classes)
        ]
        found = []
        for element in sorted({*titled, *body.iter("h2", "h3")}, key=self._position):
            if (
                self._is_furniture(element, BOILERPLATE)
                or _inside_link(element)
                or _has_block_children(element)
            ):
                continue
            text = inline_text(element)
            if 5 <= len(text) <= 300 and _link_density(element) <= 0.5:
                found.append(_Found(text, element))
        start = self._position(body)
        yield from sorted(found, key=lambda f: abs(self._position(f.element) - start))

    # -- date, views, category ---------------------------------------------------------

    def _anchor(self) -> etree._Element | None:
        if self.title and self.title.element is not None:
            return self.title.element
        return self.body.elements[0] if self.body else None

    def _meta_scope(self) -> etree._Element:
        title = self.title.element if self.title else None
        if self.body and title is not None:
            scope = common_ancestor([title, self.body.elements[0]])
            if scope is not None:
                return scope
        return self.page.root

    def _find_meta(self) -> tuple[_Found | None, _Found | None, _Found | None]:
        """Date, views and category from the candidates in the meta scope."""
        found = _MetaCandidates()
        self._collect_classed(found)
        self._collect_marked(found)
        self._collect_icons(found)
        self._collect_texts(found)
        date = (
            self._override_date()
            or self._nearest(found.dates)
            or self._nearest(found.text_dates)
            or self._nearest(found.undated)
        )
        view = self._override_text(self.selectors.views) or self._nearest(found.views)
        title = self.title.text if self.title else None
        category = (
            self._override_text(self.selectors.category)
            or self._nearest([c for c in found.categories if c.text != title])
            or self._breadcrumb_category()
        )
        return date, view, category

    def _collect_classed(self, found: _MetaCandidates) -> None:
        """Elements (in the meta scope, outside page furniture) whose class names a date, a
        counter, an eye icon or a category."""
        for element, classes in self.page.classes_within(self.scope):
            hints = _class_hints(classes)
            if not hints or self._is_furniture(element):
                continue
            if hints & _DATE_HINT:
                found.add_date(_marked_date(element, is_time=False))
            if hints & _CATEGORY_HINT:
                category = _category_text(element)
                if category:
                    found.categories.append(category)
            if hints & (_VIEW_HINT | _EYE_HINT) and not self._counts_something_else(element):
                counter = _classed_counter(element, hints)
                if counter:
                    found.views.append(counter)

    def _collect_marked(self, found: _MetaCandidates) -> None:
        """``<time>`` and schema.org ``itemprop`` dates and sections."""
        start, end = self.page.order.get(self.scope, 0), self.page.subtree_end(self.scope)
        marked = [*self.scope.iter("time")]
        for name in ("datePublished", "dateCreated", "articleSection"):
            marked.extend(self.page.itemprops.get(name, []))
        for element in marked:
            if self._is_furniture(element) or not start <= self.page.order[element] <= end:
                continue
            if element.get("itemprop") == "articleSection":
                category = _category_text(element)
                if category:
                    found.categories.append(category)
            else:
                found.add_date(_marked_date(element, is_time=True))

    def _collect_icons(self, found: _MetaCandidates) -> None:
        """Numbers after eye pictures (``<img src=".../eye.svg">``, ``<svg><use href="#eye">``)."""
        for element in self.scope.iter("img", "use"):
            if not _shows_an_eye(element):
                continue
            icon = element if element.tag == "img" else next(element.iterancestors("svg"), None)
            if icon is None or self._is_furniture(icon) or self._counts_something_else(icon):
                continue
            counter = _number_after(icon)
            if counter:
                found.views.append(counter)

    def _collect_texts(self, found: _MetaCandidates) -> None:
        """Short text nodes with digits: dates and labelled counters ("Просмотров: 409")."""
        for text, container in self._digit_texts():
            line = normalize_space(text)
            if not line or len(line) > _SHORT_TEXT:
                continue
            date = find_date(line)
            if date:
                found.text_dates.append(_Found(date, container))
            if not (_LABELLED_VIEWS.search(line) or (not date and _COUNTER_TEXT.match(line))):
                continue
            if not self._is_furniture(container, SOCIAL) and not self._counts_something_else(
                container
            ):
                found.views.extend(_labelled_views(container))

    def _digit_texts(self) -> Iterator[tuple[str, etree._Element]]:
        """Text pieces (text or tail, up to 400 characters) with a digit, outside furniture."""
        flags = self.flags
        for element in self.scope.iter(etree.Element):
            text, tail = element.text, element.tail
            if text and len(text) <= 400 and not flags.get(element, 0) & _FURNITURE:
                if _DIGIT.search(text):
                    yield text, element
            if tail and len(tail) <= 400 and element is not self.scope and _DIGIT.search(tail):
                parent = element.getparent()
                if not flags.get(parent, 0) & _FURNITURE:
                    yield tail, parent

    def _counts_something_else(self, element: etree._Element) -> bool:
        """Inside a comment, like, share or rating counter (checked two levels up)."""
        class_of = self.page.class_of
        parent = element.getparent()
        for node in (element, parent, parent.getparent() if parent is not None else None):
            if node is not None and _class_hints(class_of.get(node, "")) & _NOT_VIEW_HINT:
                return True
        return False

    def _override_date(self) -> _Found | None:
        found = self._override_text(self.selectors.date)
        if found:
            found.text = find_date(found.text) or found.text
        return found

    def _breadcrumb_category(self) -> _Found | None:
        for element in self._marked_elements("crumb"):
            return _category_from_breadcrumbs(element, self.title)
        return None

    def _marked_elements(self, stem: str) -> Iterator[etree._Element]:
        """Elements whose class, then those whose id, contains ``stem``."""
        page = self.page
        for element, classes in page.classes_within():
            if stem in classes.lower():
                yield element
        for element, ident in page.id_of.items():
            if stem in ident.lower():
                yield element

    # -- images ------------------------------------------------------------------------

    def _find_images(self) -> list[str]:
        overridden = self._override_images()
        if overridden:
            return overridden
        block = self._article_block()
        urls: list[str] = []
        if block is not None:
            body = self.body.elements[0] if self.body else None
            for element in block.iter(etree.Element):
                if element.tag != "img" and "url(" not in element.get("style", ""):
                    continue  # the cheap test first: most elements show no picture
                if self._is_furniture(element, CHROME | ASIDE | SOCIAL | DROPPED):
                    continue
                if self._in_teaser(element):
                    continue
                url = self._content_image(element, body)
                if url:
                    urls.append(url)
        if not urls:
            og_image = self.page.meta("og:image")
            absolute = self.page.absolute(og_image)
            if absolute and "/upload/" in absolute and not _NOT_CONTENT_FILE.search(absolute):
                urls.append(_safe_url(absolute))
        return list(dict.fromkeys(urls))

    def _override_images(self) -> list[str]:
        urls = []
        for result in select(self.page.selector, self.selectors.images):
            root = result.root
            src = root if isinstance(root, str) else _image_source(root)
            absolute = self.page.absolute(src)
            if absolute:
                urls.append(_safe_url(absolute))
        return list(dict.fromkeys(urls))

    def _article_block(self) -> etree._Element | None:
        if self.body is None:
            return None
        body = self.body.elements[0]
        parts = [body] + [
            f.element
            for f in (self.date, self.views, self.category)
            if f and f.element is not None and _is_inside(f.element, self.scope)
        ]
        if len(parts) == 1 and "news-detail" not in body.get("class", "").split():
            return body.getparent() if body.getparent() is not None else body
        return common_ancestor(parts)

    def _content_image(self, element: etree._Element, body: etree._Element | None) -> str | None:
        if element.tag == "img":
            src = self._full_size(element) or _image_source(element)
        elif "url(" in element.get("style", ""):
            match = _CSS_URL.search(element.get("style", ""))
            src = match.group(1) if match else None
        else:
            return None
        absolute = self.page.absolute(src)
        path = urlsplit(absolute).path if absolute else ""
        if not absolute or _TEMPLATE_ASSET.search(path):
            return None
        marks = self.page.class_of.get(element, "") + " " + self.page.id_of.get(element, "")
        filename = path.rpartition("/")[2]
        if _NOT_CONTENT_MARK.search(marks) or _NOT_CONTENT_FILE.search(filename):
            return None
        if self._links_elsewhere(element):
            return None
        in_body = body is not None and _is_inside(element, body)
        if "/upload/" in absolute or in_body or _is_large(element):
            return None if _is_tiny(element) else _safe_url(absolute)
        return None

    def _full_size(self, image: etree._Element) -> str | None:
        """The image file a thumbnail links to (a gallery or lightbox link), if any."""
        link = next(image.iterancestors("a"), None)
        href = link.get("href") if link is not None else None
        absolute = self.page.absolute(href)
        return href if absolute and _is_image_file(absolute) else None

    def _links_elsewhere(self, element: etree._Element) -> bool:
        """An image inside a link to another page (a card thumbnail), not to a file."""
        for ancestor in element.iterancestors("a"):
            href = self.page.absolute(ancestor.get("href"))
            if (
                href
                and not _is_image_file(href)
                and self.page.canonical(href) != self.page.canonical(self.page.url)
            ):
                return True
        return False

    # -- lang --------------------------------------------------------------------------

    def _find_lang(self) -> str | None:
        html_lang = self.page.root.get("lang") or self.page.root.get(
            "{http://www.w3.org/XML/1998/namespace}lang"
        )
        for raw in (html_lang, self.page.meta("og:locale")):
            code = _language_code(raw)
            if code:
                return code
        segments = [s for s in urlsplit(self.page.url).path.split("/") if s]
        return _LANG_SEGMENT.get(segments[0].lower()) if segments else None


# ------------------------------------------------------------------ small functions


def _add(scores: dict[etree._Element, float], element: etree._Element | None, value: float) -> None:
    if element is not None:
        scores[element] = scores.get(element, 0.0) + value


def _own_text(element: etree._Element) -> str:
    """Text directly inside ``element`` (not in child elements): bare text with ``<br>``."""
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return normalize_space("".join(parts))


def _link_density(element: etree._Element, ignored: Sequence[etree._Element] = ()) -> float:
    """Share of the text of ``element`` that is link text (``ignored`` blocks left out)."""
    inside = [block for block in ignored if _is_inside(block, element)]
    total = _text_length(element) - sum(_text_length(block) for block in inside)
    if total <= 0:
        return 1.0
    linked = sum(
        _text_length(a)
        for a in element.iter("a")
        if not any(_is_inside(a, block) for block in inside)
    )
    return linked / total


def _last_clear_div(element: etree._Element) -> etree._Element | None:
    """The last direct ``<div style="clear:both">`` child: the end of the detail text."""
    clear = None
    for child in element:
        if child.tag == "div" and _CLEAR.search(child.get("style", "")):
            clear = child
    return clear


def _is_inside(element: etree._Element, container: etree._Element) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


@functools.lru_cache(maxsize=4096)
def _is_title_class(value: str) -> bool:
    """A class naming a title (``news-title``, ``detail__heading``), not a subtitle."""
    words = _WORD_SPLIT.split(value.lower())
    return any(_TITLE_CLASS.search(word) and not word.startswith(("sub", "pre")) for word in words)


def _inside_link(element: etree._Element) -> bool:
    return element.tag == "a" or next(element.iterancestors("a"), None) is not None


def _has_block_children(element: etree._Element) -> bool:
    return any(child.tag in ("p", "div", "ul", "ol", "table", "section") for child in element)


def _own_text_length(element: etree._Element) -> int:
    """About ``len(_own_text(element))``, without building the string."""
    length = len(element.text.strip()) if element.text else 0
    for child in element:
        if child.tail:
            length += len(child.tail.strip())
    return length


def _text_length(element: etree._Element) -> int:
    return len(normalize_space(text_content(element)))


def _meta_line(element: etree._Element, root: etree._Element) -> etree._Element:
    """The largest block around ``element`` (below ``root``) that is only a short line."""
    node = element
    parent = node.getparent()
    while parent is not None and parent is not root and _text_length(parent) <= _META_LINE:
        node, parent = parent, parent.getparent()
    return node


@functools.lru_cache(maxsize=256)
def _list_urls_above(url: str) -> frozenset[str]:
    """Canonical URLs of the directories above an article URL (its lists), except ``/``."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    base = f"{parts.scheme}://{parts.netloc}/"
    return frozenset(
        canonical_url(base + "/".join(segments[:n]) + "/") for n in range(1, len(segments))
    )


def _is_back_link(anchor: etree._Element, lists: frozenset[str], page: ParsedPage) -> bool:
    """ "Возврат к списку" and friends, or a short link up to the article's list."""
    text = inline_text(anchor)
    if _BACK_LINK.match(text):
        return True
    if len(text) > 40:
        return False
    href = anchor.get("href")
    return bool(href) and _links_into(page.join_base(href), href, lists)


@functools.lru_cache(maxsize=16384)
def _links_into(base: str, href: str, lists: frozenset[str]) -> bool:
    """``href`` (joined to ``base``) leads to one of the canonical URLs ``lists``."""
    absolute = resolve_href(base, href)
    return bool(absolute) and canonical_url(absolute) in lists


def _is_meta_only(paragraph: str, values: list[str]) -> bool:
    """A paragraph holding only field values (date, counter...) and their labels."""
    if len(paragraph) > 160:
        return False
    rest = paragraph
    for value in sorted(values, key=len, reverse=True):
        rest = rest.replace(value, " ")
    rest = _META_LABELS.sub(" ", rest)
    if _BACK_LINK.match(rest.strip()):
        return True
    return not _SEPARATORS.sub("", rest)


def _drop_read_also(kept: list[str]) -> list[str]:
    """Drop "Читайте также: <title>" lines, and a trailing "read also" block of titles.

    Editors paste links to other articles into the text: a short paragraph starting with
    the label is such a link wherever it is; a label alone ends the text when only short
    lines (the linked titles) follow it.
    """
    out: list[str] = []
    for index, paragraph in enumerate(kept):
        if len(paragraph) <= _READ_ALSO_LINE and _READ_ALSO.match(paragraph):
            rest = kept[index + 1 :]
            if (
                _READ_ALSO.fullmatch(paragraph.rstrip(" :.-—"))
                and all(len(line) <= _READ_ALSO_LINE for line in rest[: _READ_ALSO_ITEMS + 1])
                and len(rest) <= _READ_ALSO_ITEMS
            ):
                break
            continue
        out.append(paragraph)
    return out


def _marked_date(element: etree._Element, is_time: bool) -> tuple[_Found, bool] | None:
    """The text of a ``<time>``, ``itemprop=datePublished`` or date-classed element.

    The flag says whether it holds a date: an element in the date's place showing
    "Дата уточняется" or "2 часа назад" is kept as a last resort (``date_raw`` shows what
    the page shows; parsing it is the normaliser's job).
    """
    text = inline_text(element)
    if len(text) > _SHORT_TEXT:
        return None
    raw = find_date(text) if text else None
    if raw:
        return _Found(raw, element), True
    if text and len(text) <= 40 and _YEAR.search(text):
        return _Found(text, element), True
    if is_time and not text:
        attribute = element.get("datetime") or element.get("content")
        return (_Found(normalize_space(attribute), element), True) if attribute else None
    if text and len(text) <= 40 and any(c.isalpha() for c in text):
        return _Found(text, element), False
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


def _classed_counter(element: etree._Element, hints: int) -> _Found | None:
    """A counter from a view-classed element, or the number after an eye-classed icon."""
    if hints & _EYE_HINT and not normalize_space(text_content(element)):
        return _number_after(element)
    text = inline_text(element)
    return _Found(text, element) if _is_counter_text(text) else None


def _shows_an_eye(element: etree._Element) -> bool:
    """An ``<img>`` whose file or alt text, or an SVG ``<use>`` whose symbol, is an eye."""
    if element.tag == "img":
        return "eye" in f"{element.get('src', '')} {element.get('alt', '')}".lower()
    hrefs = [value for name, value in element.attrib.items() if name.endswith("href")]
    return any("eye" in href.lower() for href in hrefs)


def _number_after(icon: etree._Element) -> _Found | None:
    """The number shown right after an eye icon: tail text, next element, or parent."""
    tail = normalize_space(icon.tail)
    if tail:
        return _Found(tail, icon.getparent()) if _is_counter_text(tail) else None
    following = icon.getnext()
    if following is not None:
        text = inline_text(following)
        if _is_counter_text(text):
            return _Found(text, following)
    parent = icon.getparent()
    text = inline_text(parent) if parent is not None else ""
    return _Found(text, parent) if _is_counter_text(text) else None


def _is_counter_text(text: str) -> bool:
    return (
        bool(text)
        and len(text) <= 40
        and bool(_COUNTER_TEXT.match(text))
        and not find_date(text)
        and not _NOT_VIEWS_TEXT.search(text)
    )


def _labelled_views(element: etree._Element) -> Iterator[_Found]:
    """ "Просмотров: 409" in ``element`` (or its parent, when the number is outside)."""
    for holder in (element, element.getparent()):
        if holder is None:
            return
        text = inline_text(holder) if len(holder) < 20 else _own_text(holder)
        match = _LABELLED_VIEWS.search(text)
        if not match or (len(text) > 60 and ":" not in match.group(0)):
            continue
        whole = len(text) <= 40 and not _SEPARATORS.sub("", text.replace(match.group(0), ""))
        yield _Found(text if whole else match.group(0).strip(), holder)
        return


def _category_text(element: etree._Element) -> _Found | None:
    """A category-marked element's text when it is short and not a date.

    A block holding headings or other blocks is a page section, not a rubric label.
    """
    if any(node.tag in _SECTION_TAGS for node in element.iterdescendants()):
        return None  # (cheaper than lxml's multi-tag filter on such small elements)
    text = inline_text(element)
    if 2 <= len(text) <= _SHORT_TEXT and any(c.isalpha() for c in text) and not find_date(text):
        return _Found(text, element)
    return None


def _category_from_breadcrumbs(crumbs: etree._Element, title: _Found | None) -> _Found | None:
    """The breadcrumb item just before the article, when it is below the news list.

    ``Home › News › Politics › Article`` gives "Politics"; in ``Home › News › Article``
    the item before the article is the list itself, not a category: None.
    """
    items = [
        (text, link)
        for link in crumbs.iter("a")
        if (text := inline_text(link)) and not _is_home_link(link, text)
    ]
    if title and items and _similar(items[-1][0], title.text):
        items = items[:-1]
    if len(items) < 2:
        return None
    text, link = items[-1]
    return _Found(text, link)


def _is_home_link(link: etree._Element, text: str) -> bool:
    segments = [s for s in urlsplit(link.get("href", "")).path.split("/") if s]
    home_path = not segments or (len(segments) == 1 and segments[0].lower() in _LANG_SEGMENT)
    return home_path or text.casefold() in _HOME


def _similar(candidate: str, reference: str) -> bool:
    """Same title modulo case, quotes and punctuation; or one a large prefix of the other."""
    a, b = _title_key(candidate), _title_key(reference)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 0.6 * len(longer) and longer.startswith(shorter)


@functools.lru_cache(maxsize=16384)
def _key(text: str) -> str:
    """``text`` for comparisons: spaces collapsed, case folded (memoised: menu and link
    texts recur on every page)."""
    return normalize_space(text).casefold()


@functools.lru_cache(maxsize=256)
def _title_key(text: str) -> str:
    """``text`` for title comparisons: case folded, words only (memoised: each reference
    is compared with every candidate, and a site's name recurs on every page)."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def _strip_site_name(title: str, site_names: list[str]) -> str:
    """``Title | Site`` → ``Title``; ``Site - Title`` → ``Title`` when the site is known."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not title or not separators:
        return title
    first, last = separators[0], separators[-1]
    head, tail = title[: first.start()].strip(), title[last.end() :].strip()
    keys = {_title_key(name) for name in site_names}
    if _title_key(head) in keys:
        return title[first.end() :].strip()
    return title[: last.start()].strip() or tail


def _safe_url(url: str) -> str:
    """:func:`w3lib.url.safe_url_string`, skipped for the plain URLs it returns unchanged
    (most image URLs: it quotes byte by byte, several µs a URL). URLs with dot segments
    take the long way too."""
    if "/." not in url and _PLAIN_URL.fullmatch(url):
        return url
    return safe_url_string(url)


def _image_source(element: etree._Element) -> str | None:
    present = element.keys()  # one call, instead of asking lxml for every lazy attribute
    for attribute in _LAZY_SRC:
        if attribute not in present:
            continue
        value = (element.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value.split(",")[0].split()[0] if attribute.endswith("srcset") else value
    return None


def _is_image_file(url: str) -> bool:
    return urlsplit(url).path.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))


def _dimension(element: etree._Element, name: str) -> int | None:
    value = (element.get(name) or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None


def _is_large(element: etree._Element) -> bool:
    width = _dimension(element, "width")
    return width is not None and width >= 200


def _is_tiny(element: etree._Element) -> bool:
    sizes = [s for s in (_dimension(element, "width"), _dimension(element, "height")) if s]
    return any(size < 50 for size in sizes)


def _language_code(raw: str | None) -> str | None:
    code = (raw or "").strip().lower().replace("_", "-").split("-")[0]
    if not code.isalpha() or not 2 <= len(code) <= 3:
        return None
    return "kk" if code in ("kz", "kaz") else code


def _is_search_url(url: str) -> bool:
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    query_keys = {pair.partition("=")[0].lower() for pair in parts.query.split("&")}
    return "search" in segments or bool(query_keys & {"q", "query", "search"})


def _looks_like_error(reader: ArticleReader, body: str) -> bool:
    if len(body) > 400:
        return False
    heading = reader.title.text if reader.title else ""
    return bool(_ERROR_TEXT.search(heading) or _ERROR_TEXT.search(reader._title_tag()))


def _is_teaser_list(element: etree._Element, known: Sequence[etree._Element]) -> bool:
    """A block of teasers ("more news" cards): 3+ title links to other pages, much link text.

    Links inside ``known`` teaser blocks do not count (a block holding the article and a
    teaser list below it is not a teaser list itself).
    """
    titles = {
        a.get("href")
        for a in element.iter("a")
        if a.get("href")
        and len(normalize_space(text_content(a))) >= _TEASER_TITLE
        and not any(_is_inside(a, teaser) for teaser in known)
    }
    return len(titles) >= 3 and _link_density(element, known) >= 0.25


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


def _body_is_list(reader: ArticleReader, items: list[etree._Element]) -> bool:
    """The body block found is the list itself, or sits inside one list item."""
    if reader.body is None:
        return True
    body = reader.body.elements[0]
    covered = sum(
        1
        for item in items
        if _is_inside(item, body) and not any(_is_inside(item, s) for s in reader.body.skip)
    )
    return covered >= 2 or any(_is_inside(body, item) for item in items)
