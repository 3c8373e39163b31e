"""Item pipelines: count each article's fields, then store it in SQLite.

Thin glue: the records arrive normalised (:mod:`crawler.page_reader`); storage is
:mod:`crawler.storage`.
"""

from __future__ import annotations

import json
import logging
import os
import time

from scrapy import signals as scrapy_signals
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler import crawl_lock, signals
from crawler.health import assess
from crawler.items import Article
from crawler.normalise import date_unparsed, views_unparsed
from crawler.storage import ArchiveStore, SaveCounts, StorageError, utc_now

logger = logging.getLogger(__name__)


class FieldStatsPipeline:
    """Count the fields each article has, and report values that could not be
    normalised (kept as NULL beside their raw text). The records come normalised from
    :mod:`crawler.page_reader`."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        if date_unparsed(item):
            self.stats.inc_value("news/dates_unparsed")
            logger.warning("Unparsed date %r on %s", item.published_raw, item.url)
        if views_unparsed(item):
            self.stats.inc_value("news/views_unparsed")
            logger.warning("Unparsed view count %r on %s", item.views_raw, item.url)
        for name in ("title", "published", "body"):
            if getattr(item, name):
                self.stats.inc_value(f"news/with_{name}")
        return item


class SQLitePipeline:
    """Batch articles and failures into the archive; keep the ``crawls`` row.

    A batch is committed every ``NEWS_ARCHIVE_BATCH_SIZE`` items or
    ``NEWS_ARCHIVE_COMMIT_SECONDS`` seconds, whichever comes first, so a crash loses at
    most the last few seconds of work (and those pages are fetched again next run).
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = settings.get("NEWS_ARCHIVE_DB")
        self.batch_size = settings.getint("NEWS_ARCHIVE_BATCH_SIZE", 200)
        self.commit_seconds = settings.getfloat("NEWS_ARCHIVE_COMMIT_SECONDS", 2.0)
        self.arguments = json.loads(settings.get("NEWS_ARCHIVE_ARGUMENTS") or "{}")
        self.articles: list[Article] = []
        self.failures: list[dict] = []
        self.aliases: dict[str, str] = {}
        self.counts = SaveCounts()
        self.last_flush = time.monotonic()
        self.store: ArchiveStore | None = None
        self.crawl_id: int | None = None
        self.flusher = task.LoopingCall(self.flush_if_due)
        crawler.signals.connect(self.fetch_failed, signal=signals.fetch_failed)
        crawler.signals.connect(self.url_redirected, signal=signals.url_redirected)
        crawler.signals.connect(self.spider_closed, signal=scrapy_signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        crawl_lock.acquire(self.db_path)
        self.store = ArchiveStore(self.db_path)
        self.store.mark_interrupted_crawls()
        arguments = self.arguments or {"start_urls": getattr(spider, "start_urls", None)}
        self.crawl_id = self.store.start_crawl(arguments, os.getpid())
        self.stats.set_value("news/crawl_id", self.crawl_id)
        self.flusher.start(self.commit_seconds, now=False)

    def process_item(self, item, spider=None):
        if isinstance(item, Article):
            self.articles.append(item)
            if len(self.articles) >= self.batch_size:
                self.flush()
        return item

    def fetch_failed(self, url: str, page: str, kind: str, status: int | None, error: str) -> None:
        self.failures.append(
            {
                "url": url,
                "page": page,
                "kind": kind,
                "status": status,
                "error": error,
                "failed_at": utc_now(),
            }
        )

    def url_redirected(self, alias: str, url: str) -> None:
        self.aliases[alias] = url

    def flush_if_due(self) -> None:
        if time.monotonic() - self.last_flush >= self.commit_seconds:
            self.flush()

    def flush(self) -> None:
        """Commit the buffered articles and failures in one go each."""
        self.last_flush = time.monotonic()
        if self.store is None or not (self.articles or self.failures or self.aliases):
            return
        articles, failures, aliases = self.articles, self.failures, self.aliases
        self.articles, self.failures, self.aliases = [], [], {}
        try:
            self.store.record_failures(failures, self.crawl_id)
            self.counts.add(self.store.save_articles(articles, self.crawl_id))
            self.store.record_aliases(aliases)
        except StorageError as exc:
            self.stats.inc_value("news/storage_errors")
            logger.error("%s", exc)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_error"))

    def close_spider(self, spider=None):
        if self.flusher.running:
            self.flusher.stop()
        self.flush()

    def spider_closed(self, spider, reason: str) -> None:
        """Judge the run and close its ``crawls`` row (after every item is stored)."""
        if self.store is None:
            return
        figures = self.figures()
        verdict = assess(figures, reason)
        if reason == "finished":
            self.store.record_completed_walks(getattr(spider, "walks_completed", ()), self.crawl_id)
        figures["summary"] = "; ".join(verdict.reasons) or None
        try:
            self.store.finish_crawl(self.crawl_id, verdict.status, verdict.exit_code, figures)
        finally:
            self.store.close()
            self.store = None
            crawl_lock.release(self.db_path)
        for name in ("articles_new", "articles_changed", "articles_unchanged"):
            self.stats.set_value(f"news/{name}", figures[name])
        self.stats.set_value("news/status", verdict.status)
        self.stats.set_value("news/exit_code", verdict.exit_code)
        self.stats.set_value("news/reasons", verdict.reasons)

    def figures(self) -> dict:
        """The run's counters, named as the ``crawls`` columns."""
        get = self.stats.get_value
        return {
            "list_pages": get("news/list_pages", 0),
            "sitemaps": get("news/sitemaps", 0),
            "article_pages": get("news/article_pages", 0),
            "pages_fetched": get("downloader/response_count", 0),
            "article_links": get("news/article_links", 0),
            "article_links_new": get("news/article_links_new", 0),
            "list_failures": get("news/list_failures", 0),
            "articles_new": self.counts.new,
            "articles_changed": self.counts.changed,
            "articles_unchanged": self.counts.unchanged,
            "articles_failed": get("news/article_failures", 0),
            "dates_unparsed": get("news/dates_unparsed", 0),
            "views_unparsed": get("news/views_unparsed", 0),
            "with_title": get("news/with_title", 0),
            "with_published": get("news/with_published", 0),
            "with_body": get("news/with_body", 0),
            "storage_errors": get("news/storage_errors", 0),
        }
