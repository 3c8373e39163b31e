"""Turn the raw fields read off an article page into the stored record.

Pure: dates through :func:`crawler.extract.dates.parse_date`, counters through
:func:`crawler.extract.views.parse_views`; unknown values become None with the raw text kept.

Imports :mod:`crawler.extract.dates`, :mod:`crawler.extract.views`, :mod:`crawler.items`.
"""

from __future__ import annotations

from datetime import datetime

from crawler.extract.dates import parse_date
from crawler.extract.views import parse_views
from crawler.items import Article, ArticleFields


def build_article(
    url: str, fields: ArticleFields, fetched_at: str, now: datetime | None = None
) -> Article:
    """Return the :class:`Article` for ``fields`` fetched from canonical ``url``."""
    return Article(
        url=url,
        lang=fields.lang,
        title=fields.title,
        published=parse_date(fields.date_raw, fields.lang, now) if fields.date_raw else None,
        published_raw=fields.date_raw,
        views=parse_views(fields.views_raw) if fields.views_raw else None,
        views_raw=fields.views_raw,
        body=fields.body,
        category=fields.category,
        image_urls=list(fields.image_urls),
        fetched_at=fetched_at,
    )


def date_unparsed(article: Article) -> bool:
    """The page showed a date text that could not be read."""
    return article.published is None and bool(article.published_raw)


def views_unparsed(article: Article) -> bool:
    """The page showed a counter text that could not be read."""
    return article.views is None and bool(article.views_raw)
