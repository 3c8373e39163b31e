"""HTML → plain text, and the page regions both extractors ignore.

Text
    :func:`normalize_space` collapses every run of whitespace (including no-break, thin
    and narrow spaces) to one space and removes invisible characters (soft hyphen,
    zero-width spaces, BOM). :func:`block_text` renders an element the way a reader sees
    it: block elements (``p``, ``div``, headings, list items, ``blockquote``, table rows
    ...) and ``<br>`` end a paragraph, bare text between blocks is a paragraph of its own,
    inline elements (``b``, ``a``, ``span`` ...) keep their text inline, and paragraphs
    are joined with exactly one blank line. Scripts, styles, ``noscript``, ``iframe``,
    forms, buttons and inline SVG are dropped; empty paragraphs never appear. Callers can
    pass elements to skip (title, date line, share block...) and an element at which to
    stop (the ``<div style="clear:both">`` that ends the default ``news.detail`` text).

Regions
    :func:`region_flags` labels every element of a page, in one pass from the root down,
    with the kinds of page furniture it sits in (a flag is inherited by descendants):

    * ``CHROME`` - site header and footer (``<header>``/``<footer>`` outside ``<article>``
      and ``<main>`` unless their class names the block they head, ``entry-header``,
      ``news-detail__footer``; or classes such as ``header``, ``site-footer``,
      ``b-header``), ``<nav>``,
      menus, breadcrumbs (``breadcrumbs``, ``crumbs``), language switchers, search boxes,
      logos, cookie banners;
    * ``ASIDE`` - ``<aside>``, sidebars and side columns, "popular"/"related"/"similar"/
      "other news"/"read also" blocks, banners and ads;
    * ``SOCIAL`` - share buttons, social links, likes, comments, subscription and print
      links;
    * ``PAGER`` - pagination blocks;
    * ``META`` - tag lists, property lists and back-link blocks (kept out of article text);
    * ``DROPPED`` - scripts, styles, forms, buttons, iframes, SVG.

    Classes and ids are matched as words (split on ``-``/``_``) or, for unambiguous
    stems such as ``menu``, ``sidebar``, ``crumb``, ``popular``, ``share``, as
    substrings. ``page-header`` (a title block in Bootstrap themes), ``news-header`` and
    other ``*-header`` blocks inside content are *not* chrome. Classes on ``<html>`` and
    ``<body>`` and state modifiers (``has-sidebar``, ``with-menu``, ``is-...``, ``no-...``)
    describe the layout, not a region, and are ignored. An element that also has a
    whole class or id naming the main content (``main``, ``content``, ``workarea``...) is
    never chrome or a side block itself (Aspro: ``<div class="main banner-auto">``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawler.urls import canonical_url

#: Invisible characters removed from text (soft hyphen, zero-width spaces/joiners, BOM).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

#: Elements that start and end a paragraph.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
#: Elements whose content is never text of the page.
DROPPED_TAGS: frozenset[str] = frozenset(
    {
        "button",
        "canvas",
        "embed",
        "form",
        "head",
        "iframe",
        "input",
        "link",
        "map",
        "meta",
        "noscript",
        "object",
        "option",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)
_CELL_TAGS = frozenset({"td", "th"})


def normalize_space(text: str | None) -> str:
    """Collapse whitespace (incl. no-break spaces) to single spaces and strip."""
    if not text:
        return ""
    return " ".join(_INVISIBLE.sub("", text).split())  # str.split(): all Unicode spaces


def as_element(node: Any) -> etree._Element | None:
    """The lxml element behind a parsel ``Selector``/``SelectorList`` or an element."""
    if isinstance(node, etree._Element):
        return node
    if isinstance(node, list):  # SelectorList
        node = node[0] if node else None
    root = getattr(node, "root", None)
    return root if isinstance(root, etree._Element) else None


class _Paragraphs:
    """Collects inline text and cuts it into paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        if self._buffer:
            text = normalize_space("".join(self._buffer))
            self._buffer.clear()
            if text:
                self.paragraphs.append(text)


def _walk(
    element: etree._Element,
    out: _Paragraphs,
    skip: Collection[etree._Element],
    stop_at: etree._Element | None,
) -> bool:
    """Render the children of ``element`` into ``out``; False once ``stop_at`` is met."""
    for child in element:
        if child is stop_at:
            return False
        tag = child.tag
        if not isinstance(tag, str) or child in skip or tag in DROPPED_TAGS:
            out.add(child.tail)  # comments, skipped and dropped elements keep their tail
            continue
        if tag == "br":
            out.flush()
        elif tag in BLOCK_TAGS:
            out.flush()
            out.add(child.text)
            if not _walk(child, out, skip, stop_at):
                return False
            out.flush()
        else:
            gap = " " if tag in _CELL_TAGS else ""
            out.add(gap)
            out.add(child.text)
            if not _walk(child, out, skip, stop_at):
                return False
            out.add(gap)
        out.add(child.tail)
    return True


def paragraphs(
    node: Any,
    skip: Collection[etree._Element] = (),
    stop_at: etree._Element | None = None,
) -> list[str]:
    """The non-empty paragraphs of ``node`` (see :func:`block_text`)."""
    element = as_element(node)
    if element is None:
        text = normalize_space(node if isinstance(node, str) else None)
        return [text] if text else []
    out = _Paragraphs()
    if element.tag not in DROPPED_TAGS:
        out.add(element.text)
        _walk(element, out, skip, stop_at)
    out.flush()
    return out.paragraphs


def block_text(
    node: Any,
    skip: Collection[etree._Element] = (),
    stop_at: etree._Element | None = None,
) -> str:
    """Plain text of ``node``: paragraphs separated by exactly one blank line.

    ``node`` is a parsel ``Selector``/``SelectorList`` (first element) or an lxml element.
    Elements in ``skip`` are left out (their tail text is kept); rendering ends at
    ``stop_at`` when it is met.
    """
    return "\n\n".join(paragraphs(node, skip, stop_at))


def inline_text(node: Any) -> str:
    """All visible text of ``node`` on one line (scripts, forms etc. dropped)."""
    return " ".join(paragraphs(node))


# --------------------------------------------------------------------------- regions

CHROME = 1
ASIDE = 2
SOCIAL = 4
PAGER = 8
META = 16
DROPPED = 32
#: Everything that is never article text.
BOILERPLATE = CHROME | ASIDE | SOCIAL | PAGER | META | DROPPED
#: Internal: inside ``<article>``/``<main>``, where ``<header>``/``<footer>`` are content.
_IN_CONTENT = 64

_SUBSTRINGS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (PAGER, ("pagination", "pager", "pagenav", "page-nav", "page_nav", "modern-page")),
    (CHROME, ("menu", "crumb", "navbar", "topbar", "copyright", "logo", "cookie")),
    (
        ASIDE,
        (
            "sidebar",
            "side-bar",
            "popular",
            "related",
            "similar",
            "recommend",
            "mostread",
            "most-read",
            "mostviewed",
            "most-viewed",
            "banner",
            "advert",
            "readalso",
            "read-also",
            "also-read",
            "othernews",
            "other-news",
            "morenews",
            "more-news",
            "lastnews",
            "last-news",
            "latestnews",
            "latest-news",
            "rightcol",
            "right-col",
            "leftcol",
            "left-col",
            "col-right",
            "col-left",
        ),
    ),
    (SOCIAL, ("share", "social", "likes", "comment", "subscribe", "addthis")),
)
_WORDS: tuple[tuple[int, frozenset[str]], ...] = (
    (
        CHROME,
        frozenset({"nav", "lang", "langs", "language", "languages", "search", "auth", "login"}),
    ),
    (ASIDE, frozenset({"aside", "ads", "side"})),
    (SOCIAL, frozenset({"soc", "print", "like"})),
    (META, frozenset({"tags", "tag", "props", "properties", "back"})),
)
_HEADER_FOOTER = re.compile(
    r"^(?:(?:site|main|top|bottom|global|page-footer|[a-z])[-_]+)?(?:header|footer)(?:[-_].*)?$"
)
#: Whole class/id tokens naming the page's main content: they cancel the chrome and side
#: flags of the element's other tokens (Aspro themes wrap the whole page in
#: ``<div class="main banner-auto">``, where ``banner`` is a layout option).
_CONTENT_TOKENS = frozenset(
    {
        "main",
        "content",
        "main-content",
        "main_content",
        "maincontent",
        "page-content",
        "page_content",
        "content-main",
        "workarea",
        "work-area",
    }
)
_QUALIFIED_HEADER = re.compile(r"^[a-z0-9]+(?:[-_]+[a-z0-9]+)*[-_]+(?:header|footer)$")
_MODIFIER = re.compile(r"^(?:has|with|no|is|js)[-_]")
_WORD_SPLIT = re.compile(r"[-_]+")
_TAG_FLAGS = {"nav": CHROME, "aside": ASIDE}
_SPECIAL_TAGS = frozenset({"nav", "aside", "header", "footer", "article", "main"})
_class_cache: dict[str, int] = {}


def class_flags(value: str) -> int:
    """Region flags that a ``class``/``id`` value alone implies (cached)."""
    cached = _class_cache.get(value)
    if cached is not None:
        return cached
    flags = 0
    for token in value.lower().split():
        if _MODIFIER.match(token):
            continue
        for flag, stems in _SUBSTRINGS:
            if any(stem in token for stem in stems):
                flags |= flag
        words = set(_WORD_SPLIT.split(token))
        for flag, vocabulary in _WORDS:
            if words & vocabulary:
                flags |= flag
        if _HEADER_FOOTER.match(token):
            flags |= CHROME
    if flags & (CHROME | ASIDE) and _CONTENT_TOKENS.intersection(value.lower().split()):
        flags &= ~(CHROME | ASIDE)
    if len(_class_cache) < 20000:
        _class_cache[value] = flags
    return flags


def _tag_flags(tag: str, inherited: int, classes: str | None = None) -> int:
    """Flags the tag implies (``<nav>``, ``<aside>``, page-level ``<header>``...).

    A ``<header>``/``<footer>`` whose class names what it heads (``entry-header``,
    ``news-detail__footer``; not ``site-header``) belongs to that block, not to the page.
    """
    if tag in ("header", "footer"):
        if inherited & _IN_CONTENT or (classes and _names_a_block(classes)):
            return 0
        return CHROME
    if tag in ("article", "main"):
        return _IN_CONTENT
    return _TAG_FLAGS.get(tag, 0)


@functools.lru_cache(maxsize=1024)
def _names_a_block(classes: str) -> bool:
    """A class such as ``entry-header`` or ``post__footer``: the header of a content block."""
    for token in classes.lower().split():
        if (
            _QUALIFIED_HEADER.match(token)
            and not _HEADER_FOOTER.match(token)
            and not token.startswith(("page", "layout", "wrapper"))  # <header class="page-header">
        ):
            return True
    return False


def _own_flags(element: etree._Element, inherited: int) -> int:
    tag = element.tag
    if tag in DROPPED_TAGS:
        return DROPPED
    flags = _tag_flags(tag, inherited, element.get("class"))
    if tag in ("html", "body"):
        return flags
    classes, ident = element.get("class"), element.get("id")
    if classes or ident:
        flags |= class_flags(f"{classes or ''} {ident or ''}")
    return flags


def region_flags(root: etree._Element) -> dict[etree._Element, int]:
    """Map every element under ``root`` to the region flags it sits in (see module doc)."""
    flags: dict[etree._Element, int] = {}
    for element in root.iter(etree.Element):
        parent = element.getparent()
        inherited = flags.get(parent, 0) if parent is not None else 0
        flags[element] = inherited | _own_flags(element, inherited)
    return flags


# ------------------------------------------------------------------------ parsed page

_NOT_NAVIGABLE = ("javascript:", "mailto:", "tel:", "data:", "about:", "skype:", "whatsapp:")


class ParsedPage:
    """One HTML page parsed once, with the indexes both extractors need.

    The root is parsed with lxml's plain HTML parser (no per-element Python class
    lookup, so walking the tree is cheap); :attr:`selector` wraps it for parsel queries.
    One walk over the tree records every element's region flags, its position in the
    page and the elements that carry a ``class``.
    """

    def __init__(self, html: str, url: str) -> None:
        self.url = url
        self.root: etree._Element = _parse(html)
        self.selector = Selector(root=self.root)
        base = next((b.get("href") for b in self.root.iter("base") if b.get("href")), None)
        self.base_url = urljoin(url, base.strip()) if base and base.strip() else url
        self.flags: dict[etree._Element, int] = {}
        self.order: dict[etree._Element, int] = {}
        #: Elements with a ``class`` attribute, in page order.
        self.classed: list[etree._Element] = []
        #: Elements with an ``id`` attribute, in page order.
        self.with_id: list[etree._Element] = []
        self._itemprops: dict[str, list[etree._Element]] | None = None
        #: Per-page memo for derived results (list items, pager links...).
        self.memo: dict[str, Any] = {}
        self._absolute: dict[str, str | None] = {}
        self._meta: dict[str, str] | None = None
        self._canonical: dict[str, str] = {}
        self._index()

    def _index(self) -> None:
        """One walk: positions, region flags (as :func:`region_flags`), classed elements."""
        flags, order, classed, with_id = self.flags, self.order, self.classed, self.with_id
        inherited_of, cached_flags = flags.get, _class_cache.get
        for position, element in enumerate(self.root.iter(etree.Element)):
            order[element] = position
            inherited = inherited_of(element.getparent(), 0)
            tag = element.tag
            if tag in DROPPED_TAGS:
                flags[element] = inherited | DROPPED
                continue
            if tag in _SPECIAL_TAGS:
                inherited |= _tag_flags(tag, inherited, element.get("class"))
            classes, ident = element.get("class"), element.get("id")
            if classes or ident:
                if classes:
                    classed.append(element)
                if ident:
                    with_id.append(element)
                if tag != "html" and tag != "body":
                    key = f"{classes or ''} {ident or ''}"
                    own = cached_flags(key)
                    inherited |= own if own is not None else class_flags(key)
            flags[element] = inherited

    @property
    def itemprops(self) -> dict[str, list[etree._Element]]:
        """Elements by their schema.org ``itemprop`` (``headline``, ``articleBody``...)."""
        if self._itemprops is None:
            self._itemprops = {}
            for element in self.root.xpath("//*[@itemprop]"):
                self._itemprops.setdefault(element.get("itemprop"), []).append(element)
        return self._itemprops

    def absolute(self, href: str | None) -> str | None:
        """``href`` resolved against the page; None for empty, ``#``-only and non-web links."""
        if href is None:
            return None
        known = self._absolute.get(href, False)
        if known is not False:
            return known
        stripped = href.strip()
        if not stripped or stripped[0] == "#" or stripped.lower().startswith(_NOT_NAVIGABLE):
            resolved = None
        else:
            resolved = urljoin(self.base_url, stripped)
        self._absolute[href] = resolved
        return resolved

    def canonical(self, url: str) -> str:
        """:func:`crawler.urls.canonical_url`, memoised for this page."""
        known = self._canonical.get(url)
        if known is None:
            known = self._canonical[url] = canonical_url(url)
        return known

    def meta(self, *names: str) -> str | None:
        """First non-empty ``<meta property|name=...>`` content among ``names``."""
        if self._meta is None:
            self._meta = {}
            for element in self.root.iter("meta"):
                content = normalize_space(element.get("content"))
                for key in (element.get("property"), element.get("name")):
                    if key and content:
                        self._meta.setdefault(key.lower(), content)
        for name in names:
            if name.lower() in self._meta:
                return self._meta[name.lower()]
        return None

    def title_tag(self) -> str:
        """Text of the ``<title>`` element ("" when missing)."""
        title = next(self.root.iter("title"), None)
        return normalize_space(title.text) if title is not None else ""

    def subtree_end(self, element: etree._Element) -> int:
        """Position of the last element inside ``element`` (for cheap "is inside" tests)."""
        last = element
        while True:
            children = [child for child in last if isinstance(child.tag, str)]
            if not children:
                return self.order.get(last, 0)
            last = children[-1]


def _parse(html: str) -> etree._Element:
    """Parse ``html`` leniently (as parsel does) with the plain lxml HTML parser."""
    body = (html or "").strip().replace("\x00", "").encode("utf-8")
    if body:
        parser = etree.HTMLParser(recover=True, encoding="utf-8")
        root = etree.fromstring(body, parser=parser)
        if root is not None:
            return root
    return etree.fromstring(b"<html></html>", parser=etree.HTMLParser())


def common_ancestor(elements: Iterable[etree._Element]) -> etree._Element | None:
    """The deepest element containing all ``elements`` (None when given none)."""
    iterator = iter(elements)
    first = next(iterator, None)
    if first is None:
        return None
    chain = [first, *first.iterancestors()]
    depth_of = {element: i for i, element in enumerate(chain)}
    highest = 0
    for element in iterator:
        node = element
        while node is not None and node not in depth_of:
            node = node.getparent()
        if node is None:
            return None
        highest = max(highest, depth_of[node])
    return chain[highest]
