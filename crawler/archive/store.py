"""Writing the archive: batched upserts with history, crawl bookkeeping, and the
few reads an incremental crawl needs (:class:`ArchiveStore`, :class:`SaveCounts`).

Imports: the standard library, sqlite-utils, :mod:`crawler.archive.database`,
:mod:`crawler.archive.schema` and ``crawler.items`` (the :class:`Article` record) — no
Scrapy, so the crawl pipeline, benchmarks and tests use it alike. The tables are
described in :mod:`crawler.archive.schema`.

Over 400 lines: every write of a crawl (articles with their history, failures, aliases,
walks, the run's rows and its sites') goes through one transaction helper here.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

from crawler.archive.database import BUSY_TIMEOUT_MS, StorageError, open_database, utc_now
from crawler.archive.schema import (
    BOUNDED_RETRY_KINDS,
    check_integrity,
    check_ours,
    ensure_schema,
    is_retryable,
)
from crawler.items import Article

_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))

#: The latest unresolved failure of each URL: it decides whether the URL is retried.
_LATEST_FAILURES = "SELECT max(id) FROM failures WHERE resolved_at IS NULL GROUP BY url"

#: Rows per INSERT statement when saving a batch (see ``ArchiveStore._insert``).
ROWS_PER_STATEMENT = 500


@dataclass
class SaveCounts:
    """What one batch did to the archive; ``sites``: the same by article site."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    sites: dict[str | None, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def count(self, change: str, site: str | None) -> None:
        setattr(self, change, getattr(self, change) + 1)
        self.sites[site][change] += 1

    def add(self, other: SaveCounts) -> None:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        for site, counts in other.sites.items():
            self.sites[site].update(counts)


class ArchiveStore:
    """The archive database: read what is known, write batches of articles."""

    def __init__(
        self,
        path: str | Path,
        any_thread: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        *,
        verify: bool = False,
        adopt: bool = False,
    ):
        """Open (or create) the archive at ``path``. Before anything is written the file
        is checked to be an archive (or empty; ``adopt``: any SQLite file) with tables of
        the right shape; ``verify`` also runs ``PRAGMA quick_check``. Missing tables and
        columns are then added. Raises :class:`StorageError` with one line."""
        self.path = Path(path)
        self.db = open_database(
            self.path, any_thread=any_thread, busy_timeout_ms=busy_timeout_ms, wal=False
        )
        try:
            if verify:
                check_integrity(self.db, self.path)
            check_ours(self.db, self.path, adopt)
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
        except sqlite3.DatabaseError as exc:
            self.db.conn.close()
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        except StorageError:
            self.db.conn.close()
            raise
        ensure_schema(self.db, self.path)

    def close(self) -> None:
        self.db.conn.close()

    # -- reading -------------------------------------------------------------

    def known_urls(self) -> set[str]:
        """URLs an incremental crawl need not fetch: stored articles, the old URLs that
        redirect to them, and URLs that failed for good — a 404, a page that is not an
        article, a link robots.txt forbids (``--full`` tries them again)."""
        sql = (
            "SELECT url FROM articles UNION SELECT alias FROM url_aliases "
            f"UNION SELECT url FROM failures WHERE retry = 0 AND id IN ({_LATEST_FAILURES})"
        )
        return {row[0] for row in self.db.execute(sql)}

    def urls_published_since(self, date_iso: str) -> set[str]:
        """URLs of stored articles published on or after ``date_iso``."""
        sql = "SELECT url FROM articles WHERE published >= ?"
        return {row[0] for row in self.db.execute(sql, [date_iso])}

    def last_fetched(self) -> dict[str, str]:
        """``url -> last_seen`` for every stored article (for sitemap ``lastmod``)."""
        return dict(self.db.execute("SELECT url, last_seen FROM articles").fetchall())

    def completed_walks(self) -> set[str]:
        """Start lists that some finished crawl has walked to the end."""
        return {row[0] for row in self.db.execute("SELECT start_url FROM list_walks")}

    def retryable_failures(self) -> list[str]:
        """URLs whose last fetch failed with a temporary error and is not resolved."""
        sql = (
            f"SELECT url FROM failures WHERE retry = 1 AND id IN ({_LATEST_FAILURES}) "
            "AND url NOT IN (SELECT alias FROM url_aliases) ORDER BY url"
        )
        return [row[0] for row in self.db.execute(sql)]

    # -- writing -------------------------------------------------------------

    def save_articles(self, articles: Sequence[Article], crawl_id: int | None = None) -> SaveCounts:
        """Upsert ``articles`` in one transaction, keeping versions and view history."""
        latest = {a.url: a for a in articles}  # the same URL twice: the last fetch wins
        existing = self._current_rows(list(latest))
        counts = SaveCounts()
        rows, versions, views = [], [], []
        for url, article in latest.items():
            old = existing.get(url)
            change = _change(old, article)
            counts.count(change, article.site)
            row = _article_row(article, old, change)
            rows.append(row)
            if change != "unchanged":
                versions.append(_version_row(article, row["version"], crawl_id))
            if article.views is not None and (old is None or old["views"] != article.views):
                views.append(
                    {
                        "url": url,
                        "seen_at": article.fetched_at,
                        "views": article.views,
                        "crawl_id": crawl_id,
                    }
                )
        # One transaction around the three writes: sqlite-utils commits each call on its
        # own unless a transaction is open (that made 4 commits per batch, not one).
        with self.writing():
            self._insert("articles", rows, upsert_on="url")
            self._insert("article_versions", versions)
            self._insert("view_counts", views, verb="INSERT OR REPLACE")
            if crawl_id is not None:
                self._resolve_failures(list(latest), crawl_id)
        return counts

    def _insert(
        self, table: str, rows: list[dict], verb: str = "INSERT", upsert_on: str | None = None
    ) -> None:
        """Write ``rows`` (dicts with the same keys) in as few statements as SQLite allows.

        What ``upsert_all`` / ``insert_all(replace=True)`` / ``insert_all`` do, without
        their per-value Python work, and in statements of up to :data:`ROWS_PER_STATEMENT`
        rows instead of 71: the FTS5 index does work per statement (one statement per
        row, as ``executemany`` runs them, doubles its cost).
        """
        if not rows:
            return
        columns = list(rows[0])
        names = ", ".join(_quote(c) for c in columns)
        tail = ""
        if upsert_on is not None:
            updates = ", ".join(
                f"{_quote(c)} = excluded.{_quote(c)}" for c in columns if c != upsert_on
            )
            tail = f" ON CONFLICT({_quote(upsert_on)}) DO UPDATE SET {updates}"
        limit = self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_statement = max(1, min(ROWS_PER_STATEMENT, limit // len(columns)))
        one = "(" + ", ".join("?" * len(columns)) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([one] * len(chunk))
            self.db.conn.execute(
                f"{verb} INTO {_quote(table)} ({names}) VALUES {values}{tail}",
                [row[c] for row in chunk for c in columns],
            )

    def _current_rows(self, urls: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            sql = (
                f"SELECT url, title, body, version, first_seen, lastmod, {_LISTED} FROM articles "
                f"WHERE url IN ({','.join('?' * len(chunk))})"
            )
            for row in self.db.execute_returning_dicts(sql, chunk):
                found[row["url"]] = row
        return found

    def _resolve_failures(self, urls: Iterable[str], crawl_id: int) -> None:
        urls = list(urls)
        if not urls:
            return
        marks = ",".join("?" * len(urls))
        self.db.execute(
            "UPDATE failures SET resolved_at = ?, resolved_crawl_id = ? "
            f"WHERE resolved_at IS NULL AND url IN ({marks})",
            [utc_now(), crawl_id, *urls],
        )

    def record_aliases(self, aliases: dict[str, str]) -> None:
        """Remember old URLs (``alias -> url``) that redirect to a stored article."""
        rows = [{"alias": a, "url": u, "first_seen": utc_now()} for a, u in aliases.items()]
        if rows:
            with self.writing():
                self.db["url_aliases"].insert_all(rows, pk="alias", ignore=True)

    def record_failures(self, failures: Sequence[dict], crawl_id: int | None) -> None:
        """Store failed fetches: dicts with ``url``, ``kind`` (see
        :data:`~crawler.archive.schema.FAILURE_KINDS`), ``status``, ``error``,
        ``failed_at``; ``retry`` is derived from kind and status (:func:`is_retryable`)."""
        if not failures:
            return
        earlier = self._odd_failure_runs([f["url"] for f in failures])
        rows = [
            {**f, "crawl_id": crawl_id, "retry": int(is_retryable(f, earlier.get(f["url"], 0)))}
            for f in failures
        ]
        with self.writing():
            self.db["failures"].insert_all(rows)

    def _odd_failure_runs(self, urls: list[str]) -> dict[str, int]:
        """``url -> runs`` whose unresolved failure of that URL was an odd answer (a kind
        in :data:`~crawler.archive.schema.BOUNDED_RETRY_KINDS`)."""
        found: dict[str, int] = {}
        kinds = list(BOUNDED_RETRY_KINDS)
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            sql = (
                "SELECT url, count(DISTINCT coalesce(crawl_id, id)) FROM failures "
                f"WHERE resolved_at IS NULL AND kind IN ({','.join('?' * len(kinds))}) "
                f"AND url IN ({','.join('?' * len(chunk))}) GROUP BY url"
            )
            found.update(self.db.execute(sql, [*kinds, *chunk]).fetchall())
        return found

    def record_completed_walks(self, start_urls: Iterable[str], crawl_id: int | None) -> None:
        """Remember that these lists were walked to the end by a finished crawl."""
        rows = [
            {"start_url": u, "completed_at": utc_now(), "crawl_id": crawl_id} for u in start_urls
        ]
        if rows:
            with self.writing():
                self.db["list_walks"].upsert_all(rows, pk="start_url")

    def start_crawl(
        self, arguments: dict, pid: int, kind: str = "crawl", sites: Sequence[str] = ()
    ) -> int:
        """Insert a ``crawls`` row with status ``running`` and return its id (``sites``:
        the names of the sites the run crawls)."""
        row = {
            "started_at": utc_now(),
            "status": "running",
            "pid": pid,
            "arguments": json.dumps(arguments, ensure_ascii=False),
            "kind": kind,
            "site": ", ".join(sites) or None,
        }
        with self.writing():
            return self.db["crawls"].insert(row).last_pk

    def finish_crawl(self, crawl_id: int, status: str, exit_code: int, figures: dict) -> None:
        """Close the ``crawls`` row of this run with its status and counters."""
        with self.writing():
            known = set(self.db["crawls"].columns_dict)
            update = {k: v for k, v in figures.items() if k in known}
            update.update(finished_at=utc_now(), status=status, exit_code=exit_code)
            self.db["crawls"].update(crawl_id, update)

    def record_site_figures(self, crawl_id: int, rows: Sequence[dict]) -> None:
        """The run's figures and verdict of each site (``crawl_sites``)."""
        known = set(self.db["crawl_sites"].columns_dict)
        rows = [
            {k: v for k, v in row.items() if k in known} | {"crawl_id": crawl_id} for row in rows
        ]
        if rows:
            with self.writing():
                self.db["crawl_sites"].upsert_all(rows, pk=("crawl_id", "site"))

    def assign_sites(self, hosts_by_site: dict[str, Iterable[str]]) -> int:
        """Name the site of stored articles that have none (stored before sites were
        named), by their URL's host: ``{site: hosts}``. Returns how many were named."""
        if self.db.execute("SELECT 1 FROM articles WHERE site IS NULL LIMIT 1").fetchone() is None:
            return 0
        named = 0
        with self.writing():
            for site, hosts in hosts_by_site.items():
                for start, end in _url_ranges(hosts):
                    # A range of the primary key: no scan of the table.
                    cursor = self.db.execute(
                        "UPDATE articles SET site = ? WHERE url >= ? AND url < ? AND site IS NULL",
                        [site, start, end],
                    )
                    named += cursor.rowcount
        return named

    def mark_interrupted_crawls(self) -> int:
        """Mark crawls left ``running`` by a killed process as ``interrupted``."""
        with self.writing():
            cursor = self.db.execute(
                "UPDATE crawls SET status = 'interrupted' WHERE status = 'running'"
            )
        return cursor.rowcount

    def save_batch(
        self,
        articles: Sequence[Article],
        failures: Sequence[dict],
        aliases: dict[str, str],
        crawl_id: int | None,
    ) -> SaveCounts:
        """A crawl's batch — failed fetches, articles, redirect aliases — in one
        transaction: all of it is stored, or none."""
        with self.writing():
            self.record_failures(failures, crawl_id)
            counts = self.save_articles(articles, crawl_id)
            self.record_aliases(aliases)
            if crawl_id is not None:
                # A URL that failed before and now redirects to an article is resolved.
                self._resolve_failures(list(aliases), crawl_id)
        return counts

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction (a savepoint inside another); SQLite errors become a
        :class:`StorageError` naming the database.

        ``BEGIN IMMEDIATE`` takes the write lock first (waiting up to the busy timeout
        for another writer), so reads inside the transaction never have to upgrade a
        stale snapshot, which SQLite refuses at once.
        """
        conn = self.db.conn
        try:
            if conn.in_transaction:
                with self.db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot write to {self.path}: {exc}") from exc


def _url_ranges(hosts: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``[start, end)`` ranges of the URLs on ``hosts``: either scheme, with or without
    ``www.``, with or without a port (``/`` or ``:`` after the host)."""
    for host in hosts:
        for scheme in ("http", "https"):
            for www in ("", "www."):
                for after in "/:":
                    start = f"{scheme}://{www}{host}{after}"
                    yield start, start[:-1] + chr(ord(after) + 1)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _change(old: dict | None, article: Article) -> str:
    """``new``, ``changed`` (title or body differ from the stored text) or ``unchanged``."""
    if old is None:
        return "new"
    if (old["title"], old["body"]) != (article.title, article.body):
        return "changed"
    return "unchanged"


def _article_row(article: Article, old: dict | None, change: str) -> dict:
    # Not dataclasses.asdict: it deep-copies every value, at 10x the cost.
    row = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
    fetched_at = row.pop("fetched_at")
    row["image_urls"] = json.dumps(article.image_urls, ensure_ascii=False)
    row["first_seen"] = old["first_seen"] if old else fetched_at
    row["last_seen"] = fetched_at
    if row["lastmod"] is None and old:  # fetched from a list: keep the sitemap's date
        row["lastmod"] = old["lastmod"]
    if old:
        _keep_listed_values(row, old)
    current = (old["version"] or 1) if old else 0
    row["version"] = current if change == "unchanged" else current + 1
    return row


#: Fields a list item may give, with the columns that go with each.
_LISTED_FIELDS = {
    "published_source": ("published", "published_raw"),
    "views_source": ("views", "views_raw"),
    "category_source": ("category",),
}
_LISTED = ", ".join(c for source, cs in _LISTED_FIELDS.items() for c in (*cs, source))


def _keep_listed_values(row: dict, old: dict) -> None:
    """A value the list gave is kept when a later fetch finds no such field on the page
    and came without the list's (a refresh or a retry starts from the article URL)."""
    for source, columns in _LISTED_FIELDS.items():
        if row[source] is None and old[source] == "list":
            for column in (*columns, source):
                row[column] = old[column]


def _version_row(article: Article, version: int, crawl_id: int | None) -> dict:
    return {
        "url": article.url,
        "version": version,
        "title": article.title,
        "body": article.body,
        "seen_at": article.fetched_at,
        "crawl_id": crawl_id,
    }
