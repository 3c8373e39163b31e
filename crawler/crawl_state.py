"""What an incremental crawl knows before it starts: the archive's side of the walk.

Loaded once per crawl, from the archive, under the crawl lock (by
:class:`crawler.pipelines.SQLitePipeline` when it opens the archive), and read by the
spider to decide what to fetch: stored URLs are not fetched again, temporary failures
are retried, recent articles are refreshed (their view counts), and a list that a
finished crawl has walked to its end is walked only while its pages bring new links.

Imports :mod:`crawler.archive.store` (no Scrapy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from crawler.archive.store import ArchiveStore


@dataclass
class CrawlState:
    """The archive's answers to "what do we have?" for one crawl."""

    #: URLs not to fetch again: stored articles, their aliases, final failures
    #: (empty for ``--full``).
    known: set[str] = field(default_factory=set)
    #: ``url -> last fetch`` of stored articles (a sitemap ``lastmod`` after it refetches).
    last_fetched: dict[str, str] = field(default_factory=dict)
    #: Articles whose last fetch failed with a temporary error: fetched again.
    retry_urls: list[str] = field(default_factory=list)
    #: Articles published in the last ``refresh_days`` days: fetched again.
    refresh_urls: set[str] = field(default_factory=set)
    #: Start lists a finished crawl has walked to their end.
    walked: set[str] = field(default_factory=set)


def load_state(
    store: ArchiveStore, full: bool, refresh_days: int, today: date | None = None
) -> CrawlState:
    """The state of the archive in ``store`` for a crawl (``full``: fetch everything)."""
    since = ((today or date.today()) - timedelta(days=refresh_days)).isoformat()
    return CrawlState(
        known=set() if full else store.known_urls(),
        last_fetched=store.last_fetched(),
        retry_urls=store.retryable_failures(),
        refresh_urls=store.urls_published_since(since) if refresh_days else set(),
        walked=store.completed_walks(),
    )
