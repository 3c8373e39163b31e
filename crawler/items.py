"""The records that flow from the spider to storage.

``ArticleFields`` is what extraction reads off an article page (raw text, nothing
converted). ``Article`` is the stored record: normalised values sit beside the raw
text they came from, so an archivist can always check a conversion.

Imports the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleFields:
    """Raw fields found on one article page by :mod:`crawler.article_page`."""

    #: Article title as shown (``<h1>``, title block, ``og:title`` or ``<title>``).
    title: str | None = None
    #: Date text exactly as the page shows it, e.g. ``"24 Августа, 2022"``.
    date_raw: str | None = None
    #: View-counter text as shown, e.g. ``"409"`` or ``"Просмотров: 1 234"``.
    views_raw: str | None = None
    #: Body as plain text, paragraphs separated by one blank line.
    body: str | None = None
    #: Category / rubric line, when the page shows one.
    category: str | None = None
    #: Absolute URLs of the article's own images (detail picture, body images).
    image_urls: list[str] = field(default_factory=list)
    #: Language from ``<html lang>`` / ``og:locale`` / the URL (``ru``, ``kk``, ``en``).
    lang: str | None = None


@dataclass
class ListedFields:
    """What a list page shows beside one article link (raw text, None when not shown).

    Carried from the list page to the article's record (request meta, a worker pipe:
    plain picklable data) and used for the fields the article page itself lacks.
    """

    #: A full date as printed beside the link (a date without a year is never kept).
    date_raw: str | None = None
    views_raw: str | None = None
    category: str | None = None
    #: The titles of the other items of the same list page: a paragraph of the article
    #: repeating one of them is not its text (a "related news" card).
    other_titles: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.date_raw or self.views_raw or self.category or self.other_titles)


@dataclass
class Article:
    """One stored article; the key is the canonical ``url``."""

    #: Canonical URL (w3lib canonicalisation, tracking parameters and fragment dropped,
    #: the final URL after redirects).
    url: str
    #: ISO 639-1 language code: ``ru``, ``kk`` or ``en`` (NULL when unknown).
    lang: str | None
    title: str | None
    #: ISO 8601 date (``2022-08-24``) or date-time (``2022-08-24T10:15``); NULL when the
    #: date could not be read (``published_raw`` keeps the text).
    published: str | None
    published_raw: str | None
    #: View count; NULL when the page shows none or it could not be read.
    views: int | None
    views_raw: str | None
    body: str | None
    category: str | None
    image_urls: list[str]
    #: UTC ISO 8601 time of the fetch that produced this record.
    fetched_at: str
    #: The sitemap's ``<lastmod>`` for this URL, when the sitemap led to it.
    lastmod: str | None = None
    #: Where ``published``/``published_raw``, ``views``/``views_raw`` and ``category``
    #: came from: ``"page"`` (the article page), ``"list"`` (shown beside the article's
    #: link on the list page; used only when the article page lacks the field), None
    #: when neither shows it.
    published_source: str | None = None
    views_source: str | None = None
    category_source: str | None = None
    #: The name of the article's site in the sites file (its host for a site the file
    #: does not list); set by the spider from the start list that led to it.
    site: str | None = None
