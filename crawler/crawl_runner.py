"""Running a crawl (or an ``inspect``) in this process, as the command line does.

:func:`run_crawl` validates the settings, takes the crawl lock, checks that the archive
opens, runs Scrapy's :class:`~scrapy.crawler.CrawlerProcess` with the news spider and
returns the run's stats; :func:`summary_line` is the line a person reads next morning.
:func:`inspect_page` fetches one page through the crawl's own extraction.

Errors a caller reports as one line: :class:`BadSetting` (exit 2), :class:`CannotStart`
(exit 3 or 4, with the code). No click here: :mod:`crawler.cli` maps these.

Imports Scrapy, :mod:`crawler.crawl_lock`, :mod:`crawler.archive`, :mod:`crawler.health`,
:mod:`crawler.site_profiles`, :mod:`crawler.page_workers`, :mod:`crawler.inspect_spider`
and the news spider.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from crawler import crawl_lock
from crawler.archive.database import StorageError, default_db_path, utc_now
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
        try:
            settings.set(name, value, priority="cmdline")
        except (ValueError, TypeError) as exc:  # a dict setting given bad JSON
            raise BadSetting(f"{name} cannot be set to {value!r} ({exc})", f"-s {name}") from None
    return settings


#: Typed getters of Scrapy settings, by the type of a setting's default value.
_GETTERS = {
    bool: ("getbool", "true or false (1 or 0)"),
    int: ("getint", "a whole number"),
    float: ("getfloat", "a number"),
    list: ("getlist", "a list (comma-separated or JSON)"),
    dict: ("getdictorlist", "a JSON object or a list"),
}


def check_setting_values(settings, names) -> None:
    """Raise :class:`BadSetting` for an overridden setting whose value does not fit the
    type of its default (``-s DOWNLOAD_DELAY=abc``), before the crawl trips over it."""
    from scrapy.settings import Settings

    defaults = Settings()
    defaults.setmodule("crawler.settings", priority="project")
    for name in names:
        default = defaults.get(name)
        if type(default) not in _GETTERS:
            continue
        getter, kind = _GETTERS[type(default)]
        try:
            getattr(settings, getter)(name)
        except (ValueError, TypeError):
            raise BadSetting(
                f"{name} must be {kind}, not {settings.get(name)!r}", f"-s {name}"
            ) from None
    level = settings.get("LOG_LEVEL")
    if isinstance(level, str) and not isinstance(logging.getLevelName(level.upper()), int):
        raise BadSetting(f"unknown log level {level!r}", "-s LOG_LEVEL")


def check_output_file(path: str | Path, hint: str) -> Path:
    """A file the crawl will write (log, WARC): its directory must exist and be
    writable, and it must not be a directory. Returns it as an absolute path."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise BadSetting(f"{path} is a directory", hint)
    directory = path.parent
    if not directory.is_dir():
        raise BadSetting(f"directory does not exist: {directory}", hint)
    if not os.access(directory, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.W_OK)
    ):
        raise BadSetting(f"cannot write {path}: permission denied", hint)
    return path


def check_crawl_settings(settings, names=()) -> None:
    """Raise :class:`BadSetting` for a setting the crawl cannot run with (``names``: the
    settings given on the command line, checked against their defaults' types)."""
    from crawler.page_workers import parse_processes
    from crawler.site_profiles import SitesFileError, load_sites, site_names

    check_setting_values(settings, names)
    try:
        sites = load_sites(settings.get("NEWS_ARCHIVE_SITES") or None)
    except SitesFileError as error:
        raise BadSetting(str(error), "--sites") from None
    try:
        sites.named(site_names(settings.get("NEWS_ARCHIVE_SITE")))
    except SitesFileError as error:
        raise BadSetting(str(error), "--site") from None
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
    if settings.get("NEWS_ARCHIVE_WARC"):
        check_output_file(settings.get("NEWS_ARCHIVE_WARC"), "--warc")
    if settings.get("LOG_FILE"):
        check_output_file(settings.get("LOG_FILE"), "--log-file")


def log_file_directory(log_file: Path) -> Path | None:
    """The log file's directory when it is missing but its parent exists (a cron
    line's ``/var/log/news-archive/``): the crawl creates it. None otherwise."""
    directory = Path(log_file).expanduser().absolute().parent
    if not directory.exists() and directory.parent.is_dir():
        return directory
    return None


def take_lock(db_path: Path) -> None:
    """The crawl lock of the archive at ``db_path``, or :class:`CannotStart` (exit 3
    when another crawl holds it, 4 when the lock file cannot be made)."""
    try:
        crawl_lock.acquire(db_path)
    except crawl_lock.CrawlLocked as exc:
        raise CannotStart(str(exc), EXIT_LOCKED) from None
    except OSError as exc:
        raise CannotStart(f"cannot create the lock file: {exc}", EXIT_DATABASE) from None


def prepare_crawl(
    db_path: Path | None, overrides: dict[str, str], log_file: Path | None = None
) -> tuple[object, Path]:
    """Check every argument of a crawl before anything is created, then create what
    the crawl needs (the default archive's directory, the log's directory); return the
    settings and the archive's absolute path. Raises :class:`BadSetting`."""
    settings = scrapy_settings(overrides)
    check_crawl_settings(settings, list(overrides))
    if log_file is not None:
        if log_file_directory(log_file) is None:
            check_output_file(log_file, "--log-file")
        settings.set("LOG_FILE", str(Path(log_file).expanduser().absolute()), priority="cmdline")
    if db_path is None:
        db_path = default_db_path()
        if not db_path.parent.exists():
            db_path.parent.mkdir(parents=True, exist_ok=True)
    if log_file is not None and (created := log_file_directory(log_file)) is not None:
        try:
            created.mkdir()
        except OSError as exc:
            raise BadSetting(f"cannot create {created}: {exc.strerror}", "--log-file") from None
    return settings, Path(db_path).expanduser().absolute()


def run_crawl(
    db_path: Path | None,
    start_urls: list[str],
    full: bool,
    refresh_days: int | None,
    overrides: dict[str, str],
    log_file: Path | None = None,
) -> dict:
    """Run one crawl in this process and return its Scrapy stats (``news/db``: the
    archive's absolute path; ``db_path`` None: the default archive).

    Every argument is checked before anything is created; raises :class:`BadSetting`
    or :class:`CannotStart` (locked or unreadable database).
    """
    settings, db_path = prepare_crawl(db_path, overrides, log_file)
    if not db_path.parent.is_dir():
        raise CannotStart(f"directory does not exist: {db_path.parent}", EXIT_DATABASE)
    take_lock(db_path)
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

    from scrapy.crawler import CrawlerProcess

    from spiders.news import NewsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, start_urls=start_urls or None, full=full, refresh_days=refresh_days)
    try:
        process.start()
    finally:
        crawl_lock.release(db_path)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    stats["news/db"] = str(db_path)
    return stats


def plural(count: int, noun: str) -> str:
    """``1 list page``, ``2 list pages``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def elapsed_seconds(stats: dict, now: datetime | None = None) -> float:
    """The run's duration: Scrapy's figure, or since its start when the reactor was
    stopped before the spider closed (a second Ctrl-C)."""
    if stats.get("elapsed_time_seconds"):
        return float(stats["elapsed_time_seconds"])
    started = stats.get("start_time")
    if isinstance(started, datetime):
        now = now or datetime.now(started.tzinfo or UTC)
        return max(0.0, (now - started).total_seconds())
    return 0.0


def summary_line(stats: dict, db_path: Path, finished_at: str | None = None) -> str:
    """The one-line summary a person reads the next morning: UTC time first (lines of
    an appended cron log stay apart), the archive's absolute path, the reasons of an
    unhealthy run."""
    reasons = stats.get("news/reasons") or []
    status = stats.get("news/status", "aborted")
    count = stats.get
    line = (
        f"{finished_at or utc_now()} crawl {count('news/crawl_id', '?')} {status}: "
        f"{count('news/articles_new', 0)} new, {count('news/articles_changed', 0)} "
        f"changed, {count('news/articles_unchanged', 0)} unchanged, "
        f"{count('news/article_failures', 0)} failed; "
        f"{plural(count('news/list_pages', 0), 'list page')}, "
        f"{plural(count('news/article_pages', 0), 'article page')}, "
        f"{plural(count('downloader/request_count', 0), 'request')} "
        f"in {elapsed_seconds(stats):.1f} s; db {Path(db_path).absolute()}"
    )
    if reasons:
        line += " — " + "; ".join(reasons)
    return line


def inspect_page(url: str, overrides: dict[str, str]) -> dict | None:
    """Fetch ``url`` once (robots.txt obeyed) and return what the crawler extracts from
    it (:class:`crawler.inspect_spider.InspectSpider`); None when nothing answered."""
    from scrapy.crawler import CrawlerProcess

    from crawler.inspect_spider import InspectSpider

    settings = scrapy_settings({"LOG_LEVEL": "CRITICAL", "RETRY_TIMES": "1", **overrides})
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(InspectSpider)
    process.crawl(crawler, url=url)
    process.start()
    return crawler.spider.result if crawler.spider else None
