"""The article page object: one property per field, each computed when first asked.

``ArticlePage(page, selectors)`` wraps a :class:`~crawler.extract.document.ParsedPage`;
its fields follow the data flow of the rules (web-poet / zyte-common-items style):

1. :attr:`body` — the block holding the text (:mod:`.body`): it anchors the rest;
2. :attr:`title` (:mod:`.title`), found with the body's help;
3. :attr:`meta` — date, counter and category (:mod:`.meta`), searched in the smallest
   block holding title and body, nearest the title, teaser blocks left out;
4. :attr:`body_text` — the body read without the lines of title, date, counter and
   category; :attr:`image_urls` (:mod:`.images`); :attr:`lang` (:mod:`.language`).

A site's :class:`~crawler.extract.overrides.Selectors` win for their field when they
match; :meth:`fields` returns the raw :class:`~crawler.items.ArticleFields`.

Imports :mod:`crawler.items`, :mod:`crawler.extract` (document, overrides) and the
field-rule modules beside it.
"""

from __future__ import annotations

import functools

from lxml import etree

from crawler.extract.article.body import Body, body_text, find_body, teaser_blocks
from crawler.extract.article.common import Found
from crawler.extract.article.images import find_images
from crawler.extract.article.language import find_lang
from crawler.extract.article.meta import Meta, find_meta
from crawler.extract.article.title import find_title
from crawler.extract.document import ParsedPage, common_ancestor
from crawler.extract.overrides import GENERIC, Selectors
from crawler.items import ArticleFields


class ArticlePage:
    """The fields of one parsed article page (see the module docstring)."""

    def __init__(
        self,
        page: ParsedPage,
        selectors: Selectors = GENERIC,
        other_titles: tuple[str, ...] = (),
    ) -> None:
        self.page = page
        self.selectors = selectors
        #: Titles of other articles known from the list page (not this one's text).
        self.other_titles = other_titles

    # -- the skeleton: where the text and the title are --------------------------------

    @functools.cached_property
    def body(self) -> Body | None:
        """The block holding the article text."""
        return find_body(self.page, self.selectors)

    @functools.cached_property
    def title(self) -> Found | None:
        """The title and the element showing it."""
        return find_title(self.page, self.selectors, self.body)

    @functools.cached_property
    def anchor(self) -> etree._Element | None:
        """Where the article starts: the title element, else the body block."""
        if self.title and self.title.element is not None:
            return self.title.element
        return self.body.elements[0] if self.body else None

    @functools.cached_property
    def scope(self) -> etree._Element:
        """The smallest block holding title and body (the whole page when one is missing)."""
        title = self.title.element if self.title else None
        if self.body and title is not None:
            scope = common_ancestor([title, self.body.elements[0]])
            if scope is not None:
                return scope
        return self.page.root

    @functools.cached_property
    def teasers(self) -> list[etree._Element]:
        """Teaser lists ("more news" cards) beside or inside the body."""
        return teaser_blocks(self.body, self.scope)

    # -- the fields ----------------------------------------------------------------------

    @functools.cached_property
    def meta(self) -> Meta:
        """Date, view counter and category, found together (nearest the title)."""
        return find_meta(
            self.page, self.selectors, self.scope, self.anchor, self.teasers, self.title
        )

    @property
    def date(self) -> Found | None:
        return self.meta.date

    @property
    def views(self) -> Found | None:
        return self.meta.views

    @property
    def category(self) -> Found | None:
        return self.meta.category

    @functools.cached_property
    def body_text(self) -> str:
        """The article text, paragraphs separated by one blank line ("" when none)."""
        found = [self.title, self.date, self.views, self.category]
        return body_text(self.page, self.body, self.teasers, found, self.other_titles)

    @functools.cached_property
    def image_urls(self) -> list[str]:
        """The article's own images, absolute, in page order."""
        meta_found = [self.date, self.views, self.category]
        return find_images(
            self.page, self.selectors, self.body, self.scope, self.teasers, meta_found
        )

    @functools.cached_property
    def lang(self) -> str | None:
        """From the URL, ``hreflang``, ``og:locale``, ``<html lang>`` and the text."""
        title = self.title.text if self.title else ""
        return find_lang(self.page, f"{title}\n{self.body_text}")

    def fields(self) -> ArticleFields:
        """The extracted raw :class:`~crawler.items.ArticleFields`."""
        return ArticleFields(
            title=self.title.text if self.title else None,
            date_raw=self.date.text if self.date else None,
            views_raw=self.views.text if self.views else None,
            body=self.body_text or None,
            category=self.category.text if self.category else None,
            image_urls=self.image_urls,
            lang=self.lang,
        )


def extract_article_page(html: str, url: str, selectors: Selectors = GENERIC) -> ArticleFields:
    """Raw fields of the article page ``html`` served at ``url`` (not classified first:
    :func:`crawler.extract.classify.extract_page` decides whether it is an article)."""
    return ArticlePage(ParsedPage(html, url), selectors or GENERIC).fields()
