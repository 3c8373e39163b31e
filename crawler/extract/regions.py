"""Page regions: which elements are page furniture rather than content.

Every element of a page is labelled, in one pass from the root down
(:class:`crawler.extract.document.ParsedPage`), with the kinds of page furniture it
sits in (a flag is inherited by descendants):

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

Pure functions of tag, class and id values; imports nothing from the project.
"""

from __future__ import annotations

import functools
import re

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
#: Tags whose region depends on the tag itself (see :func:`tag_flags`).
SPECIAL_TAGS = frozenset({"nav", "aside", "header", "footer", "article", "main"})


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


def tag_flags(tag: str, inherited: int, classes: str | None = None) -> int:
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


def class_and_id_flags(classes: str | None, ident: str | None) -> int:
    """Flags a ``class`` and an ``id`` value imply together, from their cached token flags
    (a token naming the main content cancels the chrome and side flags)."""
    own, content = _token_flags(classes) if classes else (0, False)
    if ident:
        id_flags, id_content = _token_flags(ident)
        own, content = own | id_flags, content or id_content
    return own & ~(CHROME | ASIDE) if content else own
