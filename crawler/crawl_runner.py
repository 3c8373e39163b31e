"""Running a crawl (or an ``inspect``) in this process, as the command line does.

:func:`run_crawl` validates the settings, takes the crawl lock, checks that the archive
opens, runs Scrapy's :class:`~scrapy.crawler.CrawlerProcess` with the news spider and
returns the run's stats; :func:`summary_line` is the line a person reads next morning.
:func:`inspect_page` fetches one page through the crawl's own extraction.

Errors a caller reports as one line: :class:`BadSetting` (exit 2), :class:`CannotStart`
(exit 3 or 4, with the code). No click here: :mod:`crawler.cli` maps these.

Imports Scrapy, :mod:`crawler.crawl_lock`, :mod:`crawler.archive`, :mod:`crawler.health`,
:mod:`crawler.site_profiles`, :mod:`crawler.page_workers` and the spiders.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from crawler import crawl_lock
from crawler.archive.database import StorageError
from crawler.archive.store import ArchiveStore
from crawler.health import EXIT_DATABASE, EXIT_LOCKED

#: Settings that make a crawl of the local fixture site fast (demo, tests).
FAST_LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_BACKOFF_BASE": "0",
    "LOG_LEVEL": "WARNING",
}


class BadSetting(ValueError):
    """A setting the crawl cannot run with; ``hint`` names it as the user gave it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class CannotStart(Exception):
    """The crawl could not start (lock held, archive unreadable): ``exit_code`` says why."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def drop_traceback(record: logging.LogRecord) -> bool:
    """Log filter: keep the message, drop the traceback (for expected network errors)."""
    record.exc_info = None
    record.exc_text = None
    return True


def scrapy_settings(overrides: dict[str, str] | None = None):
    """``crawler.settings`` with ``-s`` overrides on top (command-line priority)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.settings import Settings

    # An unreachable robots.txt is an expected failure: one line in the log is enough.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(drop_traceback)
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def check_crawl_settings(settings) -> None:
    """Raise :class:`BadSetting` for a setting the crawl cannot run with."""
    from crawler.page_workers import parse_processes
    from crawler.site_profiles import PROFILES

    name = settings.get("NEWS_ARCHIVE_PROFILE")
    if name not in PROFILES:
        raise BadSetting(
            f"unknown site profile {name!r} (known: {', '.join(sorted(PROFILES))})",
            "-s NEWS_ARCHIVE_PROFILE",
        )
    try:
        parse_processes(settings.get("NEWS_ARCHIVE_PARSE_PROCESSES"))
    except ValueError as error:
        raise BadSetting(str(error), "-s NEWS_ARCHIVE_PARSE_PROCESSES") from None
    zone = settings.get("NEWS_ARCHIVE_TIME_ZONE")
    if zone:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(zone)
        except (ValueError, LookupError):  # ZoneInfoNotFoundError is a KeyError
            raise BadSetting(
                f"unknown time zone {zone!r} (an IANA name such as Asia/Almaty)",
                "-s NEWS_ARCHIVE_TIME_ZONE",
            ) from None
    for name in ("NEWS_ARCHIVE_MAX_LIST_PAGES", "NEWS_ARCHIVE_MAX_REFUSALS"):
        try:
            if settings.getint(name) < 1:
                raise ValueError
        except ValueError:
            raise BadSetting(f"{name} must be a whole number from 1 on", f"-s {name}") from None


def run_crawl(
    db_path: Path,
    start_urls: list[str],
    full: bool,
    refresh_days: int | None,
    overrides: dict[str, str],
    log_file: Path | None = None,
) -> dict:
    """Run one crawl in this process and return its Scrapy stats.

    The settings are checked before anything is written; raises :class:`BadSetting`
    or :class:`CannotStart` (locked or unreadable database).
    """
    settings = scrapy_settings(overrides)
    check_crawl_settings(settings)
    if not db_path.parent.is_dir():
        raise CannotStart(f"directory does not exist: {db_path.parent}", EXIT_DATABASE)
    try:
        crawl_lock.acquire(db_path)
    except crawl_lock.CrawlLocked as exc:
        raise CannotStart(str(exc), EXIT_LOCKED) from None
    except OSError as exc:
        raise CannotStart(f"cannot create the lock file: {exc}", EXIT_DATABASE) from None
    try:
        # Fail early, with one line, on a damaged, foreign or misshapen database; add
        # what an older archive lacks — all before the first request.
        adopt = settings.getbool("NEWS_ARCHIVE_ADOPT")
        ArchiveStore(db_path, verify=True, adopt=adopt).close()
    except StorageError as exc:
        crawl_lock.release(db_path)
        raise CannotStart(str(exc), EXIT_DATABASE) from None
    arguments = {
        "start_urls": start_urls or None,
        "full": full,
        "refresh_days": refresh_days,
        "settings": overrides,
    }
    settings.set("NEWS_ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("NEWS_ARCHIVE_VERIFIED", True, priority="cmdline")
    settings.set("NEWS_ARCHIVE_ARGUMENTS", json.dumps(arguments), priority="cmdline")
    if log_file is not None:
        settings.set("LOG_FILE", str(log_file), priority="cmdline")

    from scrapy.crawler import CrawlerProcess

    from spiders.news import NewsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, start_urls=start_urls or None, full=full, refresh_days=refresh_days)
    try:
        process.start()
    finally:
        crawl_lock.release(db_path)
    return crawler.stats.get_stats() if crawler.stats else {}


def summary_line(stats: dict, db_path: Path) -> str:
    """The one-line summary a person reads the next morning."""
    seconds = stats.get("elapsed_time_seconds") or 0
    reasons = stats.get("news/reasons") or []
    status = stats.get("news/status", "aborted")
    line = (
        f"crawl {stats.get('news/crawl_id', '?')} {status}: "
        f"{stats.get('news/articles_new', 0)} new, {stats.get('news/articles_changed', 0)} "
        f"changed, {stats.get('news/articles_unchanged', 0)} unchanged, "
        f"{stats.get('news/article_failures', 0)} failed; "
        f"{stats.get('news/list_pages', 0)} list pages, "
        f"{stats.get('news/article_pages', 0)} article pages, "
        f"{stats.get('downloader/request_count', 0)} requests in {seconds:.1f} s; db {db_path}"
    )
    if reasons:
        line += " — " + "; ".join(reasons)
    return line


def inspect_page(url: str, overrides: dict[str, str]) -> dict | None:
    """Fetch ``url`` once (robots.txt obeyed) and return what the crawler extracts from
    it (:class:`spiders.inspect.InspectSpider`); None when nothing answered."""
    from scrapy.crawler import CrawlerProcess

    from spiders.inspect import InspectSpider

    settings = scrapy_settings({"LOG_LEVEL": "CRITICAL", "RETRY_TIMES": "1", **overrides})
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(InspectSpider)
    process.crawl(crawler, url=url)
    process.start()
    return crawler.spider.result if crawler.spider else None
