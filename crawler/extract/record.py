"""Turn the raw fields read off an article page into the stored record.

Pure: dates through :func:`crawler.extract.dates.parse_date`, counters through
:func:`crawler.extract.views.parse_views`; unknown values become None with the raw text kept.
What the list page showed beside the article's link fills the fields the page lacks.

Imports :mod:`crawler.extract.dates`, :mod:`crawler.extract.views`, :mod:`crawler.items`.
"""

from __future__ import annotations

from datetime import datetime

from crawler.extract.dates import parse_date
from crawler.extract.views import parse_views
from crawler.items import Article, ArticleFields, ListedFields


def build_article(
    url: str,
    fields: ArticleFields,
    fetched_at: str,
    now: datetime | None = None,
    listed: ListedFields | None = None,
) -> Article:
    """Return the :class:`Article` for ``fields`` fetched from canonical ``url``.

    ``listed``: what the list page showed beside the article's link; each of its values
    is used only when the article page shows no such field (the page always wins), and
    the ``*_source`` fields say which one was used.
    """
    listed = listed or ListedFields()
    date_raw, published_source = _pick(fields.date_raw, listed.date_raw)
    views_raw, views_source = _pick(fields.views_raw, listed.views_raw)
    category, category_source = _pick(fields.category, listed.category)
    return Article(
        url=url,
        lang=fields.lang,
        title=fields.title,
        published=parse_date(date_raw, fields.lang, now) if date_raw else None,
        published_raw=date_raw,
        views=parse_views(views_raw) if views_raw else None,
        views_raw=views_raw,
        body=fields.body,
        category=category,
        image_urls=list(fields.image_urls),
        fetched_at=fetched_at,
        published_source=published_source,
        views_source=views_source,
        category_source=category_source,
    )


def _pick(on_page: str | None, on_list: str | None) -> tuple[str | None, str | None]:
    """The page's value (source ``page``), else the list's (``list``), else nothing."""
    if on_page:
        return on_page, "page"
    if on_list:
        return on_list, "list"
    return None, None


def date_unparsed(article: Article) -> bool:
    """The page showed a date text that could not be read."""
    return article.published is None and bool(article.published_raw)


def views_unparsed(article: Article) -> bool:
    """The page showed a counter text that could not be read."""
    return article.views is None and bool(article.views_raw)
