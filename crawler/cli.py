"""The ``news-archive`` command line (click).

Every command opens the database through :mod:`crawler.storage` and turns errors into
one clear line and a non-zero exit status (see :mod:`crawler.health` for the codes).
The Scrapy settings module is loaded here, so cron can run it from any directory.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler import crawl_lock
from crawler.health import (
    EXIT_ABORTED,
    EXIT_DATABASE,
    EXIT_LOCKED,
)
from crawler.storage import ArchiveStore, StorageError, default_db_path

logger = logging.getLogger("news-archive")

#: Settings that make a crawl of the local fixture site fast (demo, tests).
FAST_LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_BACKOFF_BASE": "0",
    "LOG_LEVEL": "WARNING",
}


class Failed(click.ClickException):
    """A one-line error with a chosen exit status."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def db_option(func):
    """``--db PATH``: the archive (default: $NEWS_ARCHIVE_DB or the user data dir)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="SQLite archive [default: $NEWS_ARCHIVE_DB or "
        "~/.local/share/news-archive/archive.db].",
    )(func)


def resolve_db(db_path: Path | None) -> Path:
    """The database path to use; the default's directory is created on demand."""
    if db_path is not None:
        return db_path
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def parse_setting_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs, exactly as ``scrapy crawl -s``."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        overrides[name.strip()] = value
    return overrides


def check_start_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"not an http(s) URL: {url!r}", param_hint="--start-url")
    return url


def scrapy_settings(overrides: dict[str, str] | None = None):
    """``crawler.settings`` with ``-s`` overrides on top (command-line priority)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


@click.group()
@click.version_option(package_name="news-archive")
def main() -> None:
    """Archive crawler for news sites built on 1C-Bitrix (first target: assembly.kz).

    Example: news-archive demo
    """


def run_crawl(
    db_path: Path,
    start_urls: list[str],
    full: bool,
    refresh_days: int | None,
    overrides: dict[str, str],
    log_file: Path | None = None,
) -> dict:
    """Run one crawl in this process and return its Scrapy stats.

    Raises :class:`Failed` when the crawl cannot start (locked or unreadable database).
    """
    try:
        crawl_lock.acquire(db_path)
    except crawl_lock.CrawlLocked as exc:
        raise Failed(str(exc), EXIT_LOCKED) from None
    except OSError as exc:
        raise Failed(f"cannot create the lock file: {exc}", EXIT_DATABASE) from None
    try:
        ArchiveStore(db_path).close()  # fail early, with one line, on a bad database
    except StorageError as exc:
        crawl_lock.release(db_path)
        raise Failed(str(exc), EXIT_DATABASE) from None
    arguments = {"start_urls": start_urls or None, "full": full, "refresh_days": refresh_days,
                 "settings": overrides}
    settings = scrapy_settings(overrides)
    settings.set("NEWS_ARCHIVE_DB", str(db_path), priority="cmdline")
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


def finish(stats: dict, db_path: Path) -> None:
    """Log and print the summary, then exit with the run's status."""
    line = summary_line(stats, db_path)
    logging.getLogger("news-archive").info(line)
    click.echo(line)
    sys.exit(stats.get("news/exit_code", EXIT_ABORTED))


@main.command()
@db_option
@click.option("--start-url", "start_urls", multiple=True, callback=lambda c, p, v: [
    check_start_url(u) for u in v], help="A news list to walk (repeatable) "
    "[default: the assembly.kz lists in Russian, Kazakh and English].")
@click.option("--full", is_flag=True, help="Walk every list page and refetch every article.")
@click.option("--refresh-days", type=click.IntRange(min=0), default=None,
              help="Also refetch articles published in the last N days [default: 3].")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the Scrapy log to this file.")
@click.option("--warc", "warc_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write every fetched response to this gzip WARC file.")
@click.option("-s", "settings_pairs", multiple=True, metavar="NAME=VALUE",
              help="Set a Scrapy setting, as scrapy crawl -s (repeatable).")
def crawl(db_path, start_urls, full, refresh_days, log_file, warc_path, settings_pairs):
    """Crawl the news lists into the archive: only what is new, unless --full.

    Exit status: 0 done, 1 aborted, 2 bad arguments, 3 another crawl holds the lock,
    4 database error, 5 finished but unhealthy.

    Example: news-archive crawl --db archive.db --start-url https://assembly.kz/ru/news/
    """
    overrides = parse_setting_overrides(settings_pairs)
    if warc_path is not None:
        overrides["NEWS_ARCHIVE_WARC"] = str(warc_path)
    db_path = resolve_db(db_path)
    stats = run_crawl(db_path, list(start_urls), full, refresh_days, overrides, log_file)
    finish(stats, db_path)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="SQLite archive for the demo "
              "[default: demo.db beside the default archive].")
@click.option("--layout", type=click.Choice(["mixed", "default", "custom", "modern"]),
              default="mixed", show_default=True, help="Markup family of the demo site.")
@click.option("--robots", type=click.Choice(["open", "bitrix"]), default="open",
              show_default=True, help="robots.txt of the demo site.")
def demo(db_path, layout, robots):
    """Serve the bundled fixture site on 127.0.0.1 and crawl it (offline).

    Example: news-archive demo --db demo.db
    """
    from crawler.fixture_site import FixtureSite

    if db_path is None:
        db_path = resolve_db(None).with_name("demo.db")
    with FixtureSite(layout=layout, robots=robots) as site:
        click.echo(f"demo site at {site.url} ({layout} layout, {robots} robots.txt)")
        stats = run_crawl(db_path, site.start_urls, full=False, refresh_days=0,
                          overrides=dict(FAST_LOCAL_SETTINGS))
    finish(stats, db_path)


@main.command()
@click.argument("url", callback=lambda c, p, v: check_start_url(v))
@click.option("-s", "settings_pairs", multiple=True, metavar="NAME=VALUE",
              help="Set a Scrapy setting (repeatable).")
def inspect(url, settings_pairs):
    """Fetch one page and print, as JSON, what the crawler extracts from it.

    Example: news-archive inspect https://assembly.kz/ru/news/
    """
    overrides = {"LOG_LEVEL": "ERROR", "ITEM_PIPELINES": "{}"}
    overrides.update(parse_setting_overrides(settings_pairs))
    from scrapy.crawler import CrawlerProcess

    from spiders.inspect import InspectSpider

    settings = scrapy_settings(overrides)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(InspectSpider)
    process.crawl(crawler, url=url)
    process.start()
    result = crawler.spider.result if crawler.spider else None
    if not result or "error" in result:
        error = (result or {}).get("error", "no answer")
        raise Failed(f"cannot inspect {url}: {error}", EXIT_ABORTED)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
