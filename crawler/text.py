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

import bisect
import functools
import re
import threading
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

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
#: Tags that make :func:`_walk` do more than concatenate text (see :func:`inline_text`).
_BREAKING_TAGS = BLOCK_TAGS | DROPPED_TAGS | _CELL_TAGS | {"br"}


def normalize_space(text: str | None) -> str:
    """Collapse whitespace (incl. no-break spaces) to single spaces and strip."""
    if not text:
        return ""
    if not text.isascii() and _INVISIBLE.search(text):  # searching is cheaper than sub()
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())  # str.split(): all Unicode spaces


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
            if len(child) and not _walk(child, out, skip, stop_at):  # len(): leaves need no call
                return False
            out.flush()
        else:
            gap = " " if tag in _CELL_TAGS else ""
            out.add(gap)
            out.add(child.text)
            if len(child) and not _walk(child, out, skip, stop_at):
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
    element = as_element(node)
    if element is not None and not any(d.tag in _BREAKING_TAGS for d in element.iterdescendants()):
        # nothing inside starts a paragraph or is dropped: one run of text (the usual
        # case: a link, a date line, a heading), read by libxml2 instead of :func:`_walk`
        return "" if element.tag in DROPPED_TAGS else normalize_space(text_content(element))
    return " ".join(paragraphs(node))


def text_content(element: etree._Element) -> str:
    """``"".join(element.itertext())``: every text inside ``element``, scripts included,
    its own tail excluded (built by libxml2, several times faster than ``itertext``)."""
    if not len(element):
        return element.text or ""
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


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


def class_flags(value: str) -> int:
    """Region flags that a ``class``/``id`` value alone implies (cached)."""
    flags, content = _token_flags(value)
    return flags & ~(CHROME | ASIDE) if content else flags


@functools.lru_cache(maxsize=16384)
def _token_flags(value: str) -> tuple[int, bool]:
    """The flags the tokens of ``value`` imply, and whether one names the main content.

    Tokens count one by one, so a ``class`` and an ``id`` are looked up apart and OR-ed:
    the unique ids of list items (``bx_3218110189_8841``) do not defeat the cache.
    """
    flags = 0
    tokens = value.lower().split()
    for token in tokens:
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
    return flags, not _CONTENT_TOKENS.isdisjoint(tokens)


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
        flags |= _class_and_id_flags(classes, ident)
    return flags


def _class_and_id_flags(classes: str | None, ident: str | None) -> int:
    """``class_flags(f"{classes} {ident}")``, from the two values' cached token flags."""
    own, content = _token_flags(classes) if classes else (0, False)
    if ident:
        id_flags, id_content = _token_flags(ident)
        own, content = own | id_flags, content or id_content
    return own & ~(CHROME | ASIDE) if content else own


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
    page and the elements that carry a ``class`` or an ``id`` (with the values, read once).
    """

    def __init__(self, html: str, url: str) -> None:
        self.url = url
        self.root: etree._Element = _parse(html)
        self.selector = Selector(root=self.root)
        base = next((b.get("href") for b in self.root.iter("base") if b.get("href")), None)
        self.base_url = urljoin(url, base.strip()) if base and base.strip() else url
        self.flags: dict[etree._Element, int] = {}
        self.order: dict[etree._Element, int] = {}
        #: Elements with a ``class`` attribute, in page order, and their class values.
        self.classed: list[etree._Element] = []
        self.class_values: list[str] = []
        #: Elements with an ``id`` attribute, in page order, and their ids.
        self.with_id: list[etree._Element] = []
        self.id_values: list[str] = []
        self._itemprops: dict[str, list[etree._Element]] | None = None
        #: Per-page memo for derived results (list items, pager links...).
        self.memo: dict[str, Any] = {}
        self._origin = _origin(self.base_url)
        self._meta: dict[str, str] | None = None
        self._canonical: dict[str, str] = {}
        self._index()

    def _index(self) -> None:
        """One walk: positions, region flags (as :func:`region_flags`), classed elements."""
        flags, order, classed, with_id = self.flags, self.order, self.classed, self.with_id
        class_values, id_values = self.class_values, self.id_values
        inherited_of = flags.get
        for position, element in enumerate(self.root.iter(etree.Element)):
            order[element] = position
            inherited = inherited_of(element.getparent(), 0)
            tag = element.tag
            if tag in DROPPED_TAGS:
                flags[element] = inherited | DROPPED
                continue
            classes, ident = element.get("class"), element.get("id")
            if tag in _SPECIAL_TAGS:
                inherited |= _tag_flags(tag, inherited, classes)
            if classes or ident:
                if classes:
                    classed.append(element)
                    class_values.append(classes)
                if ident:
                    with_id.append(element)
                    id_values.append(ident)
                if tag != "html" and tag != "body":
                    inherited |= _class_and_id_flags(classes, ident)
            flags[element] = inherited

    @functools.cached_property
    def class_of(self) -> dict[etree._Element, str]:
        """The ``class`` value of each classed element (a dict lookup is many times cheaper
        than asking lxml for the attribute again)."""
        return dict(zip(self.classed, self.class_values, strict=True))

    @functools.cached_property
    def id_of(self) -> dict[etree._Element, str]:
        """The ``id`` of each element that has one (in page order)."""
        return dict(zip(self.with_id, self.id_values, strict=True))

    @functools.cached_property
    def anchors(self) -> list[etree._Element]:
        """Every ``<a>`` of the page, in page order (listed once, walked by several tests)."""
        return list(self.root.iter("a"))

    @property
    def itemprops(self) -> dict[str, list[etree._Element]]:
        """Elements by their schema.org ``itemprop`` (``headline``, ``articleBody``...)."""
        if self._itemprops is None:
            self._itemprops = {}
            for element in self.order:  # every element, in page order, already listed
                name = element.get("itemprop")
                if name:
                    self._itemprops.setdefault(name, []).append(element)
        return self._itemprops

    def absolute(self, href: str | None) -> str | None:
        """``href`` resolved against the page; None for empty, ``#``-only and non-web links."""
        if href is None:
            return None
        return resolve_href(self.join_base(href), href)

    def join_base(self, href: str) -> str:
        """The base to resolve ``href`` against: ``scheme://host/`` for a root-relative
        ``/x/`` (only scheme and host matter then, and every page of the site shares it,
        so :func:`resolve_href` hits its cache), else the page's base URL."""
        if self._origin and href[:1] == "/" and href[1:2] != "/":
            return self._origin
        return self.base_url

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

    def classes_within(
        self, element: etree._Element | None = None
    ) -> Iterable[tuple[etree._Element, str]]:
        """``(element, class value)`` of the classed elements inside ``element`` (itself
        included; the whole page when None), in page order."""
        if element is None:
            return zip(self.classed, self.class_values, strict=True)
        start, end = self._classed_span(element)
        return zip(self.classed[start:end], self.class_values[start:end], strict=True)

    def _classed_span(self, element: etree._Element) -> tuple[int, int]:
        """Where the classed elements inside ``element`` start and end in :attr:`classed`."""
        order = self.order
        start = bisect.bisect_left(self.classed, order.get(element, 0), key=order.__getitem__)
        end = bisect.bisect_right(
            self.classed, self.subtree_end(element), lo=start, key=order.__getitem__
        )
        return start, end

    def subtree_end(self, element: etree._Element) -> int:
        """Position of the last element inside ``element`` (for cheap "is inside" tests)."""
        last = element
        while True:
            children = [child for child in last if isinstance(child.tag, str)]
            if not children:
                return self.order.get(last, 0)
            last = children[-1]


@functools.lru_cache(maxsize=16384)
def resolve_href(base: str, href: str) -> str | None:
    """``href`` joined to ``base``; None for empty, ``#``-only and non-web links.

    Memoised: the same links (menus, rubrics, cards) recur on every page of a site.
    """
    stripped = href.strip()
    if not stripped or stripped[0] == "#" or stripped.lower().startswith(_NOT_NAVIGABLE):
        return None
    return urljoin(base, stripped)


def _origin(base_url: str) -> str | None:
    """``scheme://host/`` of a web ``base_url``: joining a root-relative ``href`` (``/x/``)
    to it gives what joining to ``base_url`` gives, and it is shared by a site's pages."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


_parsers = threading.local()


def _html_parser() -> etree.HTMLParser:
    """This thread's lenient UTF-8 HTML parser: reusing one parses a page ~20 % faster
    than a fresh parser (lxml parsers must not be shared between threads)."""
    parser = getattr(_parsers, "html", None)
    if parser is None:
        parser = _parsers.html = etree.HTMLParser(recover=True, encoding="utf-8")
    return parser


def _parse(html: str) -> etree._Element:
    """Parse ``html`` leniently (as parsel does) with the plain lxml HTML parser."""
    body = (html or "").strip().replace("\x00", "").encode("utf-8")
    if body:
        root = etree.fromstring(body, parser=_html_parser())
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
