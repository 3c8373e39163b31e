"""Item pipelines: count each article's fields, then store it in SQLite.

Thin glue: the records arrive normalised (:mod:`crawler.extract.fetched_page`); storage
is :mod:`crawler.archive`. The storage pipeline also takes the crawl lock
(:mod:`crawler.crawl_lock`), loads what the archive holds for the spider
(:mod:`crawler.crawl_state`) and judges the run (:mod:`crawler.health`).

Imports scrapy, twisted; :mod:`crawler`, :mod:`crawler.archive.database`,
:mod:`crawler.archive.schema`, :mod:`crawler.archive.store`, :mod:`crawler.crawl_state`,
:mod:`crawler.extract.record`, :mod:`crawler.health`, :mod:`crawler.items`,
:mod:`crawler.site_profiles`.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path

from scrapy import signals as scrapy_signals
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer, task
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler import crawl_lock, signals
from crawler.archive.database import StorageError, default_db_path, utc_now
from crawler.archive.schema import RECOVERY
from crawler.archive.store import ArchiveStore, SaveCounts
from crawler.crawl_state import CrawlState, load_state
from crawler.extract.record import date_unparsed, views_unparsed
from crawler.health import EXIT_DATABASE, EXIT_LOCKED, assess, site_reasons
from crawler.items import Article
from crawler.site_profiles import host_of

logger = logging.getLogger(__name__)

#: ``crawl_sites`` columns and the per-site stats they come from (``news/site/<name>/``).
SITE_STATS = {
    "list_pages": "list_pages",
    "sitemaps": "sitemaps",
    "list_failures": "list_failures",
    "first_list_failure": "first_list_failure",
    "article_links": "article_links",
    "article_links_new": "article_links_new",
    "article_pages": "article_pages",
    "articles_failed": "article_failures",
    "with_title": "with_title",
    "with_published": "with_published",
    "with_body": "with_body",
    "odd_answers": "not_article",
    "list_repeats": "list_repeats",
    "list_bound": "list_bound",
    "host_refused": "host_refused",
    "links_dropped": "links_dropped",
}
TEXT = {"first_list_failure", "list_bound", "host_refused"}


class FieldStatsPipeline:
    """Count the fields each article has, and report values that could not be
    normalised (kept as NULL beside their raw text). The records come normalised from
    :mod:`crawler.extract.fetched_page`. Counted here and added to the crawl's stats when the
    spider closes (before the run is judged), not one stats call per field."""

    def __init__(self, stats):
        self.stats = stats
        self.counts: Counter[str] = Counter()
        self.site_counts: Counter[tuple[str, str]] = Counter()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        if not isinstance(item, Article):
            return item
        counts = self.counts
        if date_unparsed(item):
            counts["news/dates_unparsed"] += 1
            logger.warning("Unparsed date %r on %s", item.published_raw, item.url)
        if views_unparsed(item):
            counts["news/views_unparsed"] += 1
            logger.warning("Unparsed view count %r on %s", item.views_raw, item.url)
        for name in ("title", "published", "body"):
            if getattr(item, name):
                counts[f"news/with_{name}"] += 1
                self.site_counts[(item.site, name)] += 1
        return item

    def close_spider(self, spider=None) -> None:
        for name, count in self.counts.items():
            self.stats.inc_value(name, count)
        for (site, name), count in self.site_counts.items():
            if site is not None:
                self.stats.inc_value(f"news/site/{site}/with_{name}", count)
        self.counts.clear()
        self.site_counts.clear()


def prepare_data_directory(db_path: str) -> None:
    """Create the default archive's directory (``~/.local/share/news-archive``) on a
    fresh machine, as ``news-archive crawl`` does; another archive's directory must
    exist."""
    path = Path(db_path).expanduser()
    if path.absolute() == default_db_path().absolute():
        path.parent.mkdir(parents=True, exist_ok=True)


class SQLitePipeline:
    """Batch articles and failures into the archive; keep the ``crawls`` row.

    A batch is committed every ``NEWS_ARCHIVE_BATCH_SIZE`` items or
    ``NEWS_ARCHIVE_COMMIT_SECONDS`` seconds, whichever comes first, so a crash loses at
    most the last few seconds of work (and those pages are fetched again next run).

    Batches are written by one writer thread, in order, so SQLite's own work (the
    inserts, the full-text index, the commit: the GIL is released meanwhile) runs beside
    Scrapy's reactor instead of on it. The connection is used by one thread at a time:
    the reactor's before the first batch and after the last (``close_spider`` waits for
    it), the writer's in between.
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = settings.get("NEWS_ARCHIVE_DB")
        self.batch_size = settings.getint("NEWS_ARCHIVE_BATCH_SIZE", 200)
        self.commit_seconds = settings.getfloat("NEWS_ARCHIVE_COMMIT_SECONDS", 2.0)
        self.busy_timeout = settings.getfloat("NEWS_ARCHIVE_BUSY_TIMEOUT", 10.0)
        self.arguments = json.loads(settings.get("NEWS_ARCHIVE_ARGUMENTS") or "{}")
        self.articles: list[Article] = []
        self.failures: list[dict] = []
        self.aliases: dict[str, str] = {}
        self.counts = SaveCounts()
        self.last_flush = time.monotonic()
        self.store: ArchiveStore | None = None
        #: What the archive holds, loaded under the crawl lock when the spider opens;
        #: the spider reads it before its first request (None: the archive failed).
        self.state: CrawlState | None = None
        self.crawl_id: int | None = None
        self.writer = ThreadPool(minthreads=1, maxthreads=1, name="archive-writer")
        self.writes: list[defer.Deferred] = []  # batches handed to the writer, not yet done
        self.storage_failed = False
        self.flusher = task.LoopingCall(self.flush_if_due)
        crawler.signals.connect(self.fetch_failed, signal=signals.fetch_failed)
        crawler.signals.connect(self.url_redirected, signal=signals.url_redirected)
        crawler.signals.connect(self.spider_closed, signal=scrapy_signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        news = self.crawler.spider  # Scrapy may call open_spider() without it
        if not getattr(news, "archiving", True):
            return  # scrapy parse: nothing is stored, the archive is not opened
        try:
            prepare_data_directory(self.db_path)
            crawl_lock.acquire(self.db_path)
        except (crawl_lock.CrawlLocked, OSError) as exc:  # one line, no traceback
            self.locked_out(exc)
            return
        arguments = self.arguments or {
            "start_urls": getattr(self.crawler.spider, "start_urls", None)
        }
        settings = self.crawler.settings
        try:
            self.store = ArchiveStore(
                self.db_path,
                any_thread=True,
                busy_timeout_ms=int(1000 * self.busy_timeout),
                verify=not settings.getbool("NEWS_ARCHIVE_VERIFIED"),
                adopt=settings.getbool("NEWS_ARCHIVE_ADOPT"),
            )
            self.store.mark_interrupted_crawls()
            self.state = load_state(
                self.store, getattr(news, "full", False), getattr(news, "refresh_days", 0)
            )
            sites = getattr(news, "run_sites", [])
            self.crawl_id = self.store.start_crawl(arguments, os.getpid(), sites=sites)
            self.name_sites(news)
        except StorageError as exc:  # locked by another writer for too long, say
            self.cannot_start(exc)
            return
        except sqlite3.DatabaseError as exc:  # damage quick_check did not see
            self.cannot_start(StorageError(f"cannot read {self.db_path}: {exc}: {RECOVERY}"))
            return
        self.stats.set_value("news/crawl_id", self.crawl_id)
        from twisted.internet import reactor

        self.writer.start()
        # When the reactor stops without closing the spider (a second Ctrl-C): store
        # what is buffered and close the run's row first, then stop the writer.
        reactor.addSystemEventTrigger("before", "shutdown", self.reactor_stopping)
        reactor.addSystemEventTrigger("during", "shutdown", self.stop_writer)
        self.flusher.start(self.commit_seconds, now=False)

    def name_sites(self, news) -> None:
        """Articles stored before sites were named get their site, by host."""
        hosts: dict[str, set[str]] = {}
        for start_url, name in getattr(news, "site_of_start", {}).items():
            hosts.setdefault(name, set()).add(host_of(start_url))
        named = self.store.assign_sites(hosts)
        if named:
            logger.info("Named the site of %d articles stored before sites were named", named)

    def locked_out(self, error: Exception) -> None:
        """Another crawl holds the archive (or the lock file cannot be made): one log line,
        the verdict set here (exit 3 or 4), the crawl closed before any request."""
        locked = isinstance(error, crawl_lock.CrawlLocked)
        self.stats.set_value("news/status", "locked" if locked else "storage_error")
        self.stats.set_value("news/exit_code", EXIT_LOCKED if locked else EXIT_DATABASE)
        logger.error("%s: the crawl cannot start", error)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="locked"))

    def cannot_start(self, error: StorageError) -> None:
        """The archive failed to open after the lock was taken: the lock is given back."""
        # No crawls row to judge the run by later: the verdict is set here.
        self.stats.set_value("news/status", "storage_error")
        self.stats.set_value("news/exit_code", EXIT_DATABASE)
        if self.store is not None:
            self.store.close()
            self.store = None
        crawl_lock.release(self.db_path)
        self.storage_error(f"{error}: the crawl cannot start")

    def storage_error(self, message: str) -> None:
        """Count a storage error; the first one is logged and stops the crawl."""
        self.stats.inc_value("news/storage_errors")
        if self.storage_failed:
            return
        self.storage_failed = True
        logger.error("%s", message)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_error"))

    def process_item(self, item, spider=None):
        if isinstance(item, Article):
            self.articles.append(item)
            if len(self.articles) >= self.batch_size:
                self.flush()
                if len(self.writes) > 1:  # the writer is behind: wait for the older batch
                    return defer.DeferredList(self.writes[:1]).addCallback(lambda _: item)
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
        """Hand the buffered articles, failures and aliases to the writer as one batch."""
        from twisted.internet import reactor

        self.last_flush = time.monotonic()
        if self.store is None or not (self.articles or self.failures or self.aliases):
            return
        batch = (self.articles, self.failures, self.aliases)
        self.articles, self.failures, self.aliases = [], [], {}
        write = deferToThreadPool(reactor, self.writer, self.write, *batch)
        write.addCallbacks(self.written, self.write_failed)
        write.addBoth(lambda _: self.writes.remove(write))
        self.writes.append(write)

    def write(
        self, articles: list[Article], failures: list[dict], aliases: dict
    ) -> SaveCounts | None:
        """One batch, in one transaction (in the writer thread). After a failed batch
        the rest are not tried: the crawl is stopping, and what was not stored is
        fetched again next run."""
        if self.storage_failed:
            return None
        return self.store.save_batch(articles, failures, aliases, self.crawl_id)

    def written(self, counts: SaveCounts | None) -> None:
        if counts is not None:
            self.counts.add(counts)

    def write_failed(self, failure) -> None:
        if failure.check(StorageError):
            self.storage_error(f"{failure.value}: stopping the crawl")
        else:
            self.storage_error(f"Storing a batch failed: {failure.getTraceback()}")

    async def close_spider(self, spider=None) -> None:
        """Write the last batch and wait until every batch is written."""
        if self.flusher.running:
            self.flusher.stop()
        self.flush()
        try:
            await maybe_deferred_to_future(defer.DeferredList(list(self.writes)))
        finally:
            self.stop_writer()

    def reactor_stopping(self) -> defer.Deferred | None:
        """The reactor stops while the run is open (a second Ctrl-C skips closing the
        spider): write the buffered batch, wait for the writer, then close the run as
        ``spider_closed`` would (aborted), so its row and summary hold what was stored."""
        if self.store is None:
            return None
        if self.flusher.running:
            self.flusher.stop()
        self.flush()
        done = defer.DeferredList(list(self.writes))
        done.addCallback(lambda _: self.spider_closed(self.crawler.spider, "killed"))
        return done

    def stop_writer(self) -> None:
        if self.writer.started:
            self.writer.stop()

    def spider_closed(self, spider, reason: str) -> None:
        """Judge the run and close its ``crawls`` row (after every item is stored)."""
        if self.store is None:
            return
        figures = self.figures()
        sites = self.site_figures(getattr(spider, "run_sites", []))
        verdict = assess(figures, reason, sites)
        figures["summary"] = "; ".join(verdict.reasons) or None
        try:
            if reason == "finished":
                walked = getattr(spider, "walks_completed", ())
                self.store.record_completed_walks(walked, self.crawl_id)
            self.store.record_site_figures(self.crawl_id, list(sites.values()))
            self.store.finish_crawl(self.crawl_id, verdict.status, verdict.exit_code, figures)
        except StorageError as exc:
            # The next run marks this run's row "interrupted".
            logger.error("%s: this run's crawls row is not closed", exc)
            self.stats.inc_value("news/storage_errors")
            verdict = assess(self.figures(), reason)
        finally:
            self.store.close()
            self.store = None
            crawl_lock.release(self.db_path)
        for name in ("articles_new", "articles_changed", "articles_unchanged"):
            self.stats.set_value(f"news/{name}", figures[name])
        self.stats.set_value(
            "news/broken_sites", [s for s, row in sites.items() if row["status"] != "ok"]
        )
        self.stats.set_value("news/status", verdict.status)
        self.stats.set_value("news/exit_code", verdict.exit_code)
        self.stats.set_value("news/reasons", verdict.reasons)

    def site_figures(self, names: list[str]) -> dict[str, dict]:
        """Each site's figures and verdict, named as the ``crawl_sites`` columns."""
        get = self.crawler.stats.get_value
        found = {}
        for name in names:
            counts = self.counts.sites.get(name, {})
            figures = {"site": name}
            for column, stat in SITE_STATS.items():
                figures[column] = get(f"news/site/{name}/{stat}", None if stat in TEXT else 0)
            for change in ("new", "changed", "unchanged"):
                figures[f"articles_{change}"] = counts.get(change, 0)
            reasons = site_reasons(figures)
            figures["status"] = "unhealthy" if reasons else "ok"
            figures["summary"] = "; ".join(reasons) or None
            found[name] = figures
        return found

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
            "first_list_failure": get("news/first_list_failure"),
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
            "warc_files": json.dumps(get("news/warc_files") or [], ensure_ascii=False),
            "capture_error": get("news/capture_error"),
            "odd_answers": get("news/not_article", 0),
            "list_repeats": get("news/list_repeats", 0),
            "list_bound": get("news/list_bound"),
            "host_refused": get("news/host_refused"),
            "links_dropped": get("news/links_dropped", 0),
            "memory_errors": get("spider_exceptions/MemoryError", 0),
        }
