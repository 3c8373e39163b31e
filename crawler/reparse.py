"""Re-extraction from the raw captures: today's extraction code over the archive's WARCs,
with no request to any site (``news-archive reparse``).

1. Which pages: every stored article, and every URL recorded as "not an article" (a
   fixed rule may read it now) — the newest ``200`` capture of each
   (:func:`crawler.captures.index_captures`), optionally only captures made since a day
   or URLs under a prefix. A capture older than the stored record's last fetch by more
   than :data:`STALE_AFTER` (a later fetch was not captured) is left alone.
2. Extraction in a process pool on every core (:func:`extract_capture`: the crawl's own
   entry point, :func:`crawler.extract.fetched_page.extract_article`), a bounded number
   of chunks in flight, so memory stays flat whatever the archive's size.
3. Each record compared field by field with the stored one; only those that differ
   are written, through the crawl's storage path (:meth:`ArchiveStore.save_batch`: a
   changed title or body becomes a new version), in batches, under the crawl lock, as
   a ``crawls`` row of kind ``reparse``. A second reparse finds nothing to change.
   ``dry_run`` writes nothing and reports, per field, how many records would change,
   with examples.

A stored article that today's code does not read as an article is kept, and counted.
No Scrapy. Imports :mod:`crawler.captures`, :mod:`crawler.extract`, :mod:`crawler.archive`,
:mod:`crawler.crawl_lock`, :mod:`crawler.site_profiles`, :mod:`crawler.health`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path

from w3lib.encoding import http_content_type_encoding

from crawler import crawl_lock
from crawler.archive.database import StorageError
from crawler.archive.store import ArchiveStore
from crawler.captures import READ_ERRORS, Capture, index_captures, read_capture
from crawler.extract.fetched_page import extract_article
from crawler.extract.overrides import Selectors
from crawler.extract.urls import canonical_url
from crawler.health import EXIT_OK
from crawler.items import Article
from crawler.site_profiles import load_sites
from crawler.warc import capture_dir

#: Fields compared between the stored record and the re-extracted one.
FIELDS = (
    "title",
    "body",
    "published",
    "published_raw",
    "views",
    "views_raw",
    "category",
    "image_urls",
    "lang",
)
#: A capture this much older than the stored record's last fetch is not its source.
STALE_AFTER = timedelta(hours=1)
#: Captures per round trip to the pool, round trips in flight per pool process (memory
#: stays flat), and records written per transaction.
CHUNK = 25
IN_FLIGHT_PER_WORKER = 4
BATCH = 200
EXAMPLES = 3


@dataclass
class FieldChange:
    """How many records one field changes in, and a few examples (url, before, after)."""

    count: int = 0
    examples: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class ReparseReport:
    """What a reparse found and did."""

    captures: int = 0
    pages: int = 0
    changed: int = 0
    new: int = 0
    unchanged: int = 0
    stale: int = 0
    not_article: int = 0
    unreadable: list[str] = field(default_factory=list)
    fields: dict[str, FieldChange] = field(default_factory=dict)
    crawl_id: int | None = None
    #: Seconds from the first capture indexed to the last record written.
    seconds: float = 0.0

    def lines(self, dry_run: bool) -> list[str]:
        """The report a person reads."""
        run = "reparse (dry run)" if dry_run else f"reparse {self.crawl_id}"
        verb = "would change" if dry_run else "changed"
        rate = self.pages / self.seconds if self.seconds else 0.0
        lines = [
            f"{run}: {self.pages} captured pages read in {self.seconds:.1f} s "
            f"({rate:.0f} pages/s): {self.changed} articles {verb}, "
            f"{self.new} new, {self.unchanged} unchanged"
        ]
        if self.changed == 0 and self.new == 0:
            lines.append("nothing to change: the archive matches what today's code extracts")
        for name, change in self.fields.items():
            lines.append(f"  {name}: {change.count} {verb}")
            for url, before, after in change.examples:
                lines.append(f"    {url}")
                lines.append(f"      before: {_short(before)}")
                lines.append(f"      after:  {_short(after)}")
        if self.stale:
            lines.append(f"  {self.stale} skipped: a later fetch was not captured")
        if self.not_article:
            lines.append(f"  {self.not_article} stored articles not read as articles now (kept)")
        for problem in self.unreadable[:5]:
            lines.append(f"  unreadable capture: {problem}")
        if len(self.unreadable) > 5:
            lines.append(f"  ... {len(self.unreadable) - 5} more unreadable captures")
        return lines


def _short(value: object, width: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------- the workers


def extract_capture(task: tuple) -> tuple[str, str, Article | None, str | None]:
    """In a pool process: read one capture and extract it as the crawl would.

    ``task``: (path, offset, url, canonical, fetched_at, content_type, selectors, time
    zone of the site: "Сегодня" is read on its clock at the time of the fetch).
    Returns (canonical, page type, record, error).
    """
    path, offset, url, canonical, fetched_at, content_type, selectors, time_zone = task
    try:
        body = read_capture(path, offset)
    except READ_ERRORS as error:
        return canonical, "unreadable", None, f"{path}@{offset}: {type(error).__name__}: {error}"
    encoding = http_content_type_encoding(content_type or None)  # the declared charset
    kind, article = extract_article(
        body, encoding, url, canonical, fetched_at, selectors, time_zone=time_zone
    )
    return canonical, kind, article, None


# -------------------------------------------------------------------------- the run


def capture_paths(db_path: Path, warc_dir: Path | None, store: ArchiveStore) -> list[Path]:
    """The WARC files to read: the capture folder's, then those the crawls recorded."""
    paths: list[Path] = []
    folder = warc_dir or capture_dir(db_path)
    if folder.is_dir():
        paths.extend(sorted(folder.glob("*.warc.gz")))
    if "warc_files" in store.db["crawls"].columns_dict:
        for (value,) in store.db.execute(
            "SELECT warc_files FROM crawls WHERE warc_files IS NOT NULL ORDER BY id"
        ):
            for name in json.loads(value or "[]"):
                path = Path(name)
                if path.exists() and path not in paths:
                    paths.append(path)
    return paths


def _host_free(url: str) -> str:
    """``url`` without scheme and ``www.``: one key for one article however linked."""
    rest = url.split("://", 1)[-1]
    return rest.removeprefix("www.")


def reparse(
    db_path: Path,
    warc_dir: Path | None = None,
    since: date | None = None,
    url_prefix: str | None = None,
    dry_run: bool = False,
    selectors: Selectors | None = None,
    processes: int | None = None,
) -> ReparseReport:
    """Re-extract the archive at ``db_path`` from its captures (see the module docstring).

    ``selectors``: one override for every page (default: the sites file's). Raises
    :class:`crawl_lock.CrawlLocked` when a crawl runs, :class:`StorageError` when the
    archive cannot be read or written.
    """
    crawl_lock.acquire(db_path)
    try:
        store = ArchiveStore(db_path)
        try:
            return _reparse(
                store, db_path, warc_dir, since, url_prefix, dry_run, selectors, processes
            )
        finally:
            store.close()
    finally:
        crawl_lock.release(db_path)


def _reparse(
    store: ArchiveStore,
    db_path: Path,
    warc_dir: Path | None,
    since: date | None,
    url_prefix: str | None,
    dry_run: bool,
    selectors: Selectors | None,
    processes: int | None,
) -> ReparseReport:
    started = time.perf_counter()
    report = ReparseReport()
    # Only URL and last fetch of every article stay in memory; the stored rows are read
    # a group at a time when the results come back (memory flat at any archive size).
    last_seen = dict(store.db.execute("SELECT url, last_seen FROM articles").fetchall())
    others = {
        row[0]
        for row in store.db.execute(
            "SELECT DISTINCT url FROM failures WHERE kind = 'not_article' AND resolved_at IS NULL"
        )
    }
    wanted = {_host_free(url): url for url in [*others, *last_seen]}
    index = index_captures(capture_paths(db_path, warc_dir, store))
    report.captures = index.records
    report.unreadable.extend(index.unreadable)
    tasks = list(
        _tasks(index.newest.values(), wanted, last_seen, since, url_prefix, selectors, report)
    )
    crawl_id = None
    if not dry_run:
        arguments = {
            "reparse": True,
            "warc_dir": str(warc_dir) if warc_dir else None,
            "since": since.isoformat() if since else None,
            "url_prefix": url_prefix,
        }
        store.mark_interrupted_crawls()  # we hold the lock: a "running" row is dead
        crawl_id = store.start_crawl(arguments, os.getpid(), kind="reparse")
        report.crawl_id = crawl_id
    pending: list[Article] = []
    workers = processes if processes is not None else (os.cpu_count() or 1)
    # "spawn": the pool's processes start clean, without the crawl lock's descriptor
    # (forked ones would hold the lock after this process died).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context) as pool:
        for group in _groups(_extracted(pool, tasks, workers), BATCH):
            stored = _stored_rows(store, [result[0] for result in group if result[2]])
            for canonical, _kind, article, error in group:
                report.pages += 1
                if error:
                    report.unreadable.append(error)
                    continue
                if article is None:
                    if canonical in last_seen:
                        report.not_article += 1
                    continue
                old = stored.get(canonical)
                if old is not None and not _compare(old, article, report):
                    report.unchanged += 1
                    continue
                if old is None:
                    report.new += 1
                else:
                    report.changed += 1
                pending.append(article)
            if not dry_run and pending:
                store.save_batch(pending, [], {}, crawl_id)
            pending = []
    if not dry_run:
        figures = {
            "article_pages": report.pages,
            "articles_new": report.new,
            "articles_changed": report.changed,
            "articles_unchanged": report.unchanged,
            "articles_failed": len(report.unreadable),
            "summary": f"{len(report.unreadable)} unreadable captures"
            if report.unreadable
            else None,
        }
        store.finish_crawl(crawl_id, "ok", EXIT_OK, figures)
    report.seconds = time.perf_counter() - started
    return report


def _tasks(
    captures: Iterator[Capture],
    wanted: dict[str, str],
    last_seen: dict[str, str],
    since: date | None,
    url_prefix: str | None,
    selectors: Selectors | None,
    report: ReparseReport,
) -> Iterator[tuple]:
    since_text = since.isoformat() if since else ""
    sites = load_sites()  # once: the file is not read again for every capture
    for capture in captures:
        canonical = canonical_url(capture.url)
        key = wanted.get(_host_free(canonical))
        if key is None:
            continue
        if url_prefix and not key.startswith(url_prefix):
            continue
        if since_text and capture.date[:10] < since_text:
            continue
        seen = last_seen.get(key)
        fetched_at = capture.date
        if seen is not None:
            if _parse(seen) - _parse(capture.date) > STALE_AFTER:
                report.stale += 1
                continue
            fetched_at = seen  # the capture of that fetch: history unchanged
        chosen = selectors if selectors is not None else sites.selectors_for_url(key)
        yield (
            capture.path,
            capture.offset,
            capture.url,
            key,
            fetched_at,
            capture.content_type,
            chosen,
            sites.time_zone_for_url(key),
        )


def _stored_rows(store: ArchiveStore, urls: list[str]) -> dict[str, dict]:
    """The stored rows of ``urls`` (the fields compared), by URL."""
    found: dict[str, dict] = {}
    columns = ", ".join(["url", *FIELDS])
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        sql = f"SELECT {columns} FROM articles WHERE url IN ({','.join('?' * len(chunk))})"
        for row in store.db.execute_returning_dicts(sql, chunk):
            found[row["url"]] = row
    return found


def _groups(results: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while group := list(islice(results, size)):
        yield group


def _parse(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)


def _compare(old: dict, article: Article, report: ReparseReport) -> bool:
    """Count the fields in which ``article`` differs from the stored row ``old``; True
    when any does."""
    differs = False
    for name in FIELDS:
        before = old[name]
        after = getattr(article, name)
        if name == "image_urls":
            before = json.loads(before or "[]")
        if before != after:
            differs = True
            change = report.fields.setdefault(name, FieldChange())
            change.count += 1
            if len(change.examples) < EXAMPLES:
                change.examples.append((article.url, before, after))
    return differs


def extract_chunk(tasks: list[tuple]) -> list[tuple]:
    """:func:`extract_capture` over a chunk of tasks (one round trip to the pool)."""
    return [extract_capture(task) for task in tasks]


def _extracted(pool: ProcessPoolExecutor, tasks: list[tuple], workers: int) -> Iterator[tuple]:
    """The results of ``tasks``, in order, with a bounded number of chunks in flight
    (memory stays flat however many captures there are)."""
    remaining = iter(tasks)
    in_flight: deque = deque()
    while chunk := list(islice(remaining, CHUNK)):
        in_flight.append(pool.submit(extract_chunk, chunk))
        if len(in_flight) >= IN_FLIGHT_PER_WORKER * max(1, workers):
            yield from in_flight.popleft().result()
    while in_flight:
        yield from in_flight.popleft().result()


__all__ = ["ReparseReport", "StorageError", "reparse"]
