"""The ``news-archive`` command line (click): declares the commands, nothing else.

Each command parses its options, calls what it runs — :mod:`crawler.crawl_runner`
(crawl, demo, inspect), :mod:`crawler.archive` (export, search, query, stats) — and
turns errors into one clear line and a non-zero exit status (codes:
:mod:`crawler.health`). The Scrapy settings module is loaded by the runner, so cron can
run it from any directory.

Imports click, sqlite_utils; :mod:`crawler.archive`, :mod:`crawler.archive.database`,
:mod:`crawler.archive.filters`, :mod:`crawler.crawl_runner`,
:mod:`crawler.fixture_site`, :mod:`crawler.health`, :mod:`crawler.site_profiles`.

Over 400 lines: the option declarations and help texts of nine commands; the
logic they call lives elsewhere.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sqlite3
import sys
from dataclasses import asdict
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import click
import sqlite_utils

from crawler import demo as demo_run
from crawler.archive import database as archive_database
from crawler.archive import export as archive_export
from crawler.archive import filters as archive_filters
from crawler.archive import query as archive_query
from crawler.archive import search as archive_search
from crawler.archive import stats as archive_stats
from crawler.archive.database import StorageError, default_db_path
from crawler.archive.filters import ArticleFilter, parse_date_bound
from crawler.crawl_runner import (
    FAST_LOCAL_SETTINGS,
    BadSetting,
    CannotStart,
    inspect_page,
    run_crawl,
    summary_line,
)
from crawler.health import EXIT_ABORTED, EXIT_DATABASE, EXIT_LOCKED, EXIT_USAGE

logger = logging.getLogger("news-archive")

#: Exit status of a command stopped by Ctrl-C (128 + SIGINT, as the shell reports it).
EXIT_INTERRUPTED = 130


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


def parse_setting_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs, exactly as ``scrapy crawl -s``."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            message = f"invalid value for -s: expected NAME=VALUE, got {pair!r} (see --help)"
            raise Failed(message, EXIT_USAGE)
        overrides[name.strip()] = value
    return overrides


def check_start_url(url: str, hint: str = "--start-url") -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"not an http(s) URL: {url!r}", param_hint=hint)
    return url


class Main(click.Group):
    """The command group; a reader of standard output that went away (``| head``)
    ends the command quietly with status 0, as ``cat`` under ``set -o pipefail``."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            archive_export.silence_stdout()
            ctx.exit(0)


@click.group(cls=Main)
@click.version_option(package_name="news-archive")
def main() -> None:
    """Archive crawler for news sites built on 1C-Bitrix (first target: assembly.kz).

    Example: news-archive demo
    """


def start_crawl(*args, **kwargs) -> dict:
    """:func:`crawler.crawl_runner.run_crawl`, its errors as one line and an exit code."""
    try:
        return run_crawl(*args, **kwargs)
    except BadSetting as exc:
        raise Failed(f"invalid value for {exc.hint}: {exc} (see --help)", EXIT_USAGE) from None
    except CannotStart as exc:
        raise Failed(str(exc), exc.exit_code) from None


def summarise(stats: dict, db_path: Path | None) -> None:
    """Log and print the summary line."""
    line = summary_line(stats, Path(stats.get("news/db") or db_path or default_db_path()))
    logging.getLogger("news-archive").info(line)
    sys.stderr.flush()
    click.echo(line)


def finish(stats: dict, db_path: Path | None) -> None:
    """Log and print the summary, then exit with the run's status."""
    summarise(stats, db_path)
    sys.exit(stats.get("news/exit_code", EXIT_ABORTED))


def sites_option(command):
    """``--sites FILE``: the sites file (start URLs, selectors, time zones, pace)."""
    return click.option(
        "--sites",
        "sites_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="The sites file (TOML) [default: $NEWS_ARCHIVE_SITES, else the bundled one: "
        "assembly.kz].",
    )(command)


def use_sites_file(path: Path | None) -> None:
    """Check the sites file (one line and exit 2 when it is wrong) and make it this
    process's, for the commands that read pages without crawling (reparse, inspect)."""
    from crawler.site_profiles import SitesFileError, load_sites

    try:
        load_sites(path)
    except SitesFileError as exc:
        raise Failed(f"invalid value for --sites: {exc}", EXIT_USAGE) from None
    if path is not None:
        os.environ["NEWS_ARCHIVE_SITES"] = str(path)


class OneLineErrors(click.Command):
    """A command whose bad arguments are reported on one line, exit status 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            message = " ".join(exc.format_message().split())
            raise Failed(f"{message} (see --help)", EXIT_USAGE) from None


@main.command(cls=OneLineErrors)
@db_option
@click.option(
    "--start-url",
    "start_urls",
    multiple=True,
    callback=lambda c, p, v: [check_start_url(u) for u in v],
    help="A news list to walk (repeatable) [default: the lists of every site in the sites file].",
)
@sites_option
@click.option(
    "--site",
    "site_names",
    multiple=True,
    metavar="NAME",
    help="Crawl only this site of the sites file (repeatable).",
)
@click.option("--full", is_flag=True, help="Walk every list page and refetch every article.")
@click.option(
    "--refresh-days",
    type=click.IntRange(min=0),
    default=None,
    help="Also refetch articles published in the last N days [default: 3].",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the Scrapy log to this file.",
)
@click.option(
    "--warc",
    "warc_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append every fetched response to this gzip WARC file instead of the crawl's "
    "own files in the capture folder beside the archive (<archive>.warc/).",
)
@click.option(
    "--no-warc",
    is_flag=True,
    help="Keep no raw captures (setting NEWS_ARCHIVE_CAPTURE=False).",
)
@click.option(
    "--images",
    is_flag=True,
    help="Also capture each new article's own images (same host; for a faithful replay).",
)
@click.option(
    "-s",
    "settings_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a Scrapy setting, as scrapy crawl -s (repeatable).",
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Add the archive's tables to an existing SQLite file that holds other tables.",
)
def crawl(
    db_path,
    start_urls,
    sites_file,
    site_names,
    full,
    refresh_days,
    log_file,
    warc_path,
    no_warc,
    images,
    settings_pairs,
    adopt,
):
    """Crawl the news lists into the archive: only what is new, unless --full.

    Exit status: 0 done, 1 aborted, 2 bad arguments, 3 another crawl holds the lock,
    4 database error, 5 finished but unhealthy.

    Example: news-archive crawl --db archive.db --sites sites.toml --site assembly.kz
    """
    overrides = parse_setting_overrides(settings_pairs)
    if site_names and start_urls:
        raise Failed("choose --start-url or --site, not both", EXIT_USAGE)
    if sites_file is not None:
        overrides["NEWS_ARCHIVE_SITES"] = str(sites_file)
    if site_names:
        overrides["NEWS_ARCHIVE_SITE"] = ",".join(site_names)
    if warc_path is not None and no_warc:
        raise Failed("choose one of --warc and --no-warc", EXIT_USAGE)
    if warc_path is not None:
        overrides["NEWS_ARCHIVE_WARC"] = str(warc_path)
    if no_warc:
        overrides["NEWS_ARCHIVE_CAPTURE"] = "False"
    if images and no_warc:
        raise Failed("--images needs the captures: leave out --no-warc", EXIT_USAGE)
    if images:
        overrides["NEWS_ARCHIVE_IMAGES"] = "True"
    if adopt:
        overrides["NEWS_ARCHIVE_ADOPT"] = "True"
    stats = start_crawl(db_path, list(start_urls), full, refresh_days, overrides, log_file)
    finish(stats, db_path)


@main.command(cls=OneLineErrors)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite archive for the demo [default: demo.db beside the default archive].",
)
@click.option(
    "--layout",
    type=click.Choice(["mixed", "default", "custom", "modern"]),
    default="mixed",
    show_default=True,
    help="Markup family of the demo site.",
)
@click.option(
    "--robots",
    type=click.Choice(["open", "bitrix"]),
    default="open",
    show_default=True,
    help="robots.txt of the demo site.",
)
def demo(db_path, layout, robots):
    """Serve the bundled fixture site on 127.0.0.1 and crawl it (offline).

    The demo archive is rebuilt on every run (the site's port changes from run to run,
    and it is part of every URL), so a second demo gives the same archive. A --db that
    holds anything but a demo archive is refused, never replaced.

    Example: news-archive demo --db demo.db
    """
    from crawler.fixture_site import FixtureSite

    if db_path is None:
        db_path = default_db_path().with_name("demo.db")
        db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path = db_path.expanduser().absolute()
    try:
        demo_run.reset_demo_archive(db_path)
    except demo_run.NotADemoArchive as exc:
        raise Failed(str(exc), EXIT_USAGE) from None
    with FixtureSite(layout=layout, robots=robots) as site:
        click.echo(
            f"demo: crawling the demo site at {site.url} ({layout} layout, {robots} "
            f"robots.txt) into {db_path}"
        )
        click.echo(demo_run.PLANTED_FAULTS_AHEAD)
        stats = start_crawl(
            db_path,
            site.start_urls,
            full=False,
            refresh_days=0,
            overrides={**FAST_LOCAL_SETTINGS, "NEWS_ARCHIVE_IMAGES": "True"},
        )
    summarise(stats, db_path)
    click.echo(demo_run.after_the_crawl(stats, db_path))
    sys.exit(stats.get("news/exit_code", EXIT_ABORTED))


@main.command(cls=OneLineErrors)
@click.argument("url", callback=lambda c, p, v: check_start_url(v, "URL"))
@click.option(
    "-s",
    "settings_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a Scrapy setting (repeatable).",
)
@sites_option
def inspect(url, settings_pairs, sites_file):
    """Fetch one page and print, as JSON, what the crawler extracts from it.

    Example: news-archive inspect https://assembly.kz/ru/news/
    """
    use_sites_file(sites_file)
    try:
        result = inspect_page(url, parse_setting_overrides(settings_pairs))
    except BadSetting as exc:
        raise Failed(f"invalid value for {exc.hint}: {exc} (see --help)", EXIT_USAGE) from None
    if not result or "error" in result:
        error = (result or {}).get("error", "no answer")
        raise Failed(f"cannot inspect {url}: {error}", EXIT_ABORTED)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


# -- export, search, query, stats: reading the archive, never creating it --------


class DateBound(click.ParamType):
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; an ``--until`` takes the period's last day."""

    name = "DATE"

    def __init__(self, end: bool = False):
        self.end = end

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return parse_date_bound(value, end=self.end)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def site_option(func):
    """``--site NAME`` (repeatable): only the articles of these sites."""
    return click.option(
        "--site",
        "sites",
        multiple=True,
        metavar="NAME",
        help="Only articles of this site (its name in the sites file; repeatable).",
    )(func)


def filter_options(func):
    """``--lang``, ``--site``, ``--since``, ``--until``: which articles a reading
    command takes."""
    func = click.option(
        "--until",
        type=DateBound(end=True),
        default=None,
        help="Only articles published on or before this day (YYYY-MM-DD, YYYY-MM or YYYY).",
    )(func)
    func = click.option(
        "--since",
        type=DateBound(),
        default=None,
        help="Only articles published on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).",
    )(func)
    func = site_option(func)
    return click.option(
        "--lang", default=None, metavar="LANG", help="Only articles in this language: ru, kk or en."
    )(func)


def article_filter(
    lang: str | None, since: date | None, until: date | None, sites: tuple[str, ...] = ()
) -> ArticleFilter:
    """The filter of ``--lang``, ``--site``, ``--since``, ``--until``; an empty span is
    bad input. The sites sorted, each once."""
    if since and until and since > until:
        raise Failed(f"--since {since} is after --until {until}: no article can match", EXIT_USAGE)
    return ArticleFilter(lang, since, until, tuple(sorted(set(sites))))


def open_archive(db_path: Path | None) -> sqlite_utils.Database:
    """Open an existing archive (never create one) or fail with one line."""
    try:
        return archive_database.open_archive(db_path or default_db_path())
    except StorageError as exc:
        raise Failed(str(exc), EXIT_DATABASE) from None


def build_search_index(path: Path) -> sqlite_utils.Database:
    """Build the missing search index (the one write a reading command makes) and
    return the archive opened read-only again."""
    click.echo("building the search index (once)...", err=True)
    try:
        writable = archive_database.open_archive(path, read_only=False)
        try:
            archive_search.ensure_fts(writable)
        finally:
            writable.close()
    except (StorageError, sqlite3.Error) as exc:
        raise Failed(
            f"the archive has no search index and it cannot be built here ({exc}): "
            "run news-archive search once as a user who can write it",
            EXIT_DATABASE,
        ) from None
    return open_archive(path)


def check_lang(db: sqlite_utils.Database, lang: str | None) -> None:
    try:
        archive_filters.check_lang(db, lang)
    except ValueError as exc:
        raise Failed(str(exc), EXIT_USAGE) from None


def check_sites(db: sqlite_utils.Database, sites: tuple[str, ...]) -> None:
    try:
        archive_filters.check_sites(db, sites)
    except ValueError as exc:
        raise Failed(str(exc), EXIT_USAGE) from None


def _progress(total: int):
    """Wrap the rows in a progress bar on standard error (a terminal only)."""

    def wrap(rows):
        with click.progressbar(rows, length=total, label="exporting", file=sys.stderr) as bar:
            yield from bar

    return wrap


@main.command(cls=OneLineErrors)
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*archive_export.FORMATS, "xlsx"]),
    required=True,
    help="csv (RFC 4180, UTF-8, header row), jsonl (one JSON object a line) or xlsx "
    "(an Excel workbook: typed cells, text kept exactly).",
)
@click.option(
    "--output",
    "-o",
    default=None,
    metavar="PATH|-",
    help="File to write, or - for standard output "
    "[default: exports/<what>-<date>-<time>.<format>].",
)
@filter_options
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for spreadsheets: a UTF-8 BOM, and cells starting with = + - @ "
    "tab or CR prefixed with ' so they are not run as formulas.",
)
@click.option(
    "--delimiter",
    default=",",
    show_default=True,
    metavar="CHAR",
    help="CSV field separator: ';' for Excel in a Russian or Kazakh locale, '\\t' for a tab.",
)
@click.option(
    "--history",
    type=click.Choice(["versions", "views"]),
    default=None,
    help="Export article_versions (every stored title/body) or view_counts "
    "(the series of view counts) instead of the articles.",
)
def export(db_path, fmt, output, lang, sites, since, until, excel, delimiter, history):
    """Export the archive as CSV, JSON Lines or an Excel workbook, one row per article.

    Columns: url, lang, published, published_raw, title, category, views, views_raw,
    body, image_urls, first_seen, last_seen, version, lastmod, published_source,
    views_source, category_source. The file is written
    under a temporary name and renamed when complete; its name is printed.

    Example: news-archive export --format csv --excel --lang ru --site assembly.kz --since 2022
    """
    if excel and fmt != "csv":
        raise Failed("--excel applies to --format csv only", EXIT_USAGE)
    if delimiter != "," and fmt != "csv":
        raise Failed("--delimiter applies to --format csv only", EXIT_USAGE)
    try:
        delimiter = archive_export.check_delimiter(delimiter)
    except archive_export.ExportError as exc:
        raise Failed(str(exc), EXIT_USAGE) from None
    db = open_archive(db_path)
    check_lang(db, lang)
    check_sites(db, sites)
    name = history or "articles"
    dataset = archive_export.DATASETS[name]
    filters = article_filter(lang, since, until, sites)
    progress = None
    if sys.stderr.isatty():
        progress = _progress(archive_export.count_rows(db, dataset, filters))
    write = partial(
        archive_export.export,
        db,
        fmt=fmt,
        dataset=dataset,
        filters=filters,
        excel=excel,
        progress=progress,
        delimiter=delimiter,
    )
    target = None
    try:
        target = archive_export.export_target(output, name, fmt, lang, sites=filters.sites)
        if fmt == "xlsx":
            rows = export_workbook(target, db, dataset, filters, progress)
        else:
            # A file name of our own choosing never replaces an existing file.
            rows, target = archive_export.export_to(target, write, bom=excel, replace=bool(output))
    except archive_export.ExportError as exc:
        raise Failed(str(exc), EXIT_USAGE) from None
    except sqlite3.Error as exc:
        raise Failed(f"export failed: {exc}", EXIT_DATABASE) from None
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise  # the reader went away (| head): Main ends quietly
        where = archive_export.describe_target(output, target)
        raise Failed(f"cannot write {where}: {exc.strerror}") from None
    click.echo(f"exported {rows} rows of {name}", err=True)
    if target is not None:
        click.echo(str(target))


def export_workbook(target, db, dataset, filters, progress) -> int:
    """``export --format xlsx``: the workbook, its warnings on standard error."""
    from crawler.archive import xlsx

    result = xlsx.export_xlsx(target, db, dataset, filters, progress)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return result.rows


@main.command(cls=OneLineErrors)
@click.argument("text", nargs=-1, required=True)
@db_option
@filter_options
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Show at most this many articles.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as a JSON list.")
def search(text, db_path, lang, sites, since, until, limit, as_json):
    """Full-text search over titles and bodies, best matches first.

    Every word must occur, in any inflected form: медиация also finds медиации and
    медиацию, парламент finds парламенттің. A "quoted phrase" matches exactly.
    Matched words are shown in [brackets]. Articles in the query's language come
    first. Text starting with a dash goes after --: search -- -word.

    Example: news-archive search медиация --lang ru --since 2022 --limit 5
    """
    db = open_archive(db_path)
    check_lang(db, lang)
    check_sites(db, sites)
    try:
        if not archive_search.has_fts(db):
            db = build_search_index(db_path or default_db_path())
        filters = article_filter(lang, since, until, sites)
        limit = min(limit, archive_search.MAX_LIMIT)  # more would overflow SQLite's integers
        hits = archive_search.search(db, " ".join(text), filters, limit)
    except archive_search.SearchError as exc:
        raise Failed(str(exc), EXIT_USAGE) from None
    except sqlite3.Error as exc:
        raise Failed(f"search failed: {exc}", EXIT_DATABASE) from None
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
    elif hits:
        click.echo(archive_search.format_hits(hits))
    else:
        click.echo("no article matches", err=True)


@main.command(cls=OneLineErrors)
@click.argument("sql")
@db_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=archive_query.DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop the statement after this many seconds (0: no limit). Ctrl-C stops it too.",
)
def query(sql, db_path, as_csv, as_json, timeout):
    """Run one SQL statement on a read-only connection and print the rows.

    Any statement that would change the database (INSERT, UPDATE, DELETE, CREATE,
    DROP, ATTACH, ...) is refused. The table view shortens long values; --csv and
    --json print them whole.

    Example: news-archive query "SELECT lang, count(*) FROM articles GROUP BY lang"
    """
    if as_csv and as_json:
        raise Failed("choose one of --csv and --json", EXIT_USAGE)
    path = db_path if db_path is not None else default_db_path()
    try:
        conn, guard = archive_query.connect_read_only(path)
        with archive_query.Limits(conn, timeout or None) as limits:
            columns, rows = archive_query.run_query(conn, guard, sql, limits=limits)
            if as_csv or as_json:
                with archive_export.utf8_stdout() as out:
                    write = archive_export.write_csv if as_csv else archive_query.write_json_list
                    write(out, columns, rows)
            else:
                click.echo(archive_query.format_table(columns, rows))
    except StorageError as exc:
        raise Failed(str(exc), EXIT_DATABASE) from None
    except (archive_query.ReadOnlyError, archive_query.QueryError) as exc:
        raise Failed(str(exc), EXIT_USAGE) from None
    except archive_query.QueryTimeout as exc:
        raise Failed(str(exc), EXIT_ABORTED) from None
    except archive_query.QueryInterrupted as exc:
        raise Failed(str(exc), EXIT_INTERRUPTED) from None


@main.command(cls=OneLineErrors)
@db_option
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(db_path, lang, sites, since, until, as_json):
    """Figures about the archive: articles per language, year and month, date range,
    views, the share of articles with a date, views and body, and the last crawl.
    With several sites, the same per site, with each site's last crawl and verdict;
    --site limits every figure to that site; --lang, --since and --until the article
    figures (not the crawls).

    Example: news-archive stats --db archive.db --site assembly.kz --since 2024
    """
    db = open_archive(db_path)
    check_lang(db, lang)
    check_sites(db, sites)
    filters = article_filter(lang, since, until, sites)
    try:
        figures = archive_stats.archive_stats(db, filters)
    except sqlite3.Error as exc:
        raise Failed(f"cannot read {db_path or default_db_path()}: {exc}", EXIT_DATABASE) from None
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        click.echo(archive_stats.format_stats(figures))


@main.command(cls=OneLineErrors)
@db_option
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the captures [default: beside the archive, <archive>.warc/].",
)
@click.option(
    "--since",
    type=DateBound(),
    default=None,
    help="Only captures made on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).",
)
@click.option("--url-prefix", default=None, help="Only articles whose URL starts with this.")
@click.option("--dry-run", is_flag=True, help="Write nothing; show what would change.")
@sites_option
def reparse(db_path, warc_dir, since, url_prefix, dry_run, sites_file):
    """Re-extract the archive from its raw captures with today's code, offline.

    Reads the newest capture of every stored article (and of every URL once recorded as
    "not an article"), extracts it as a crawl would and stores what changed (a changed
    title or body becomes a new version). No request is made to any site.

    Example: news-archive reparse --dry-run
    """
    from crawler import crawl_lock
    from crawler import reparse as reparsing

    use_sites_file(sites_file)
    path = db_path if db_path is not None else default_db_path()
    open_archive(path).close()  # an existing archive, or one line and exit 4
    try:
        report = reparsing.reparse(path, warc_dir, since, url_prefix, dry_run)
    except crawl_lock.CrawlLocked as exc:
        raise Failed(str(exc), EXIT_LOCKED) from None
    except StorageError as exc:
        raise Failed(str(exc), EXIT_DATABASE) from None
    click.echo("\n".join(report.lines(dry_run)))


@main.command(cls=OneLineErrors)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def merge(out, inputs):
    """Merge archives (say, one per Scrapyd node) into OUT: one row per article, every
    version and view count of each kept once, crawls and failures carried.

    OUT may exist: it is merged with the inputs. The result is written to a temporary
    file and renamed over OUT when complete; merging an archive into itself, or the
    same input twice, changes nothing. OUT is locked like a crawl while it is merged.

    Example: news-archive merge all.db node1.db node2.db
    """
    from crawler import crawl_lock
    from crawler.archive.merge import merge_archives
    from crawler.crawl_runner import take_lock

    try:
        take_lock(out)
    except CannotStart as exc:
        raise Failed(str(exc), exc.exit_code) from None
    try:
        report = merge_archives(out, list(inputs))
    except StorageError as exc:
        raise Failed(str(exc), EXIT_DATABASE) from None
    finally:
        crawl_lock.release(out)
    click.echo(report.line(out))


@main.command(cls=OneLineErrors)
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but 127.0.0.1/localhost exposes the archive "
    "to the network.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the archive in a web browser.")
def serve(db_path, host, port, open_browser):
    """Browse, search and chart the archive in a web browser (Datasette, read-only).

    The archive is opened read-only but live: what a running crawl stores appears on
    the next page load. Search in any inflected form, charts under the menu.

    Example: news-archive serve --db archive.db --open
    """
    from crawler.serve import server

    path = db_path or default_db_path()
    try:
        server.prepare_archive(path, lambda line: click.echo(line, err=True))
    except StorageError as exc:
        raise Failed(str(exc), EXIT_DATABASE) from None
    except sqlite3.Error as exc:
        raise Failed(f"cannot read {path}: {exc}", EXIT_DATABASE) from None
    if not server.is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can read the archive",
            err=True,
        )
    try:
        sock = server.bind(host, port)
    except OSError as exc:
        raise Failed(f"cannot listen on {host}:{port}: {exc.strerror}", EXIT_USAGE) from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    click.echo(f"serving {path} read-only at {url} (Ctrl-C to stop)")
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    server.serve(server.make_datasette(path), sock)


if __name__ == "__main__":  # pragma: no cover
    main()
