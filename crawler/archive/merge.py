"""Combining archives: ``news-archive merge OUT.db IN.db...``.

When one machine is not enough, each node archives its share of the sites into its own
file; :func:`merge_archives` combines them:

- **articles**: one row per URL; the copy fetched last (``last_seen``) gives the
  current fields, ``first_seen`` is the earliest of both;
- **article_versions**: every text of either side, in the order it was seen; a text
  equal to the one before it is the same version (so an archive merged into itself, or
  twice, gains nothing), versions renumbered from 1 and ``articles.version`` pointing
  at the current text;
- **view_counts**, **url_aliases**: the union (one row per key);
- **crawls**: carried with new ids and their ``origin`` (``<file>#<id>``); a run
  already present (same start time, process and kind) is not carried twice; the
  ``crawl_id`` of every carried row follows it;
- **failures**: carried once (same URL, time, kind and status is the same failure);
- **list_walks**: the latest completion of each list;
- **crawl_sites**: carried with their crawl (the site column of articles and crawls
  travels with its row);
- the full-text index is built once at the end (its triggers are dropped while the
  rows are written: indexing each row as it is inserted, then rebuilding, did the work
  twice).

``OUT`` may exist: it is merged with the inputs. The result is written to a temporary
file beside ``OUT`` and renamed over it when complete, so a failed or interrupted merge
leaves ``OUT`` as it was. Columns are matched by name, so archives written by other
versions of the crawler merge too (a column missing on one side stays NULL).

Imports sqlite-utils and :mod:`crawler.archive` (database, schema, search, store).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from crawler.archive.database import StorageError, open_database
from crawler.archive.search import FTS_TRIGGERS, ensure_fts
from crawler.archive.store import ArchiveStore


@dataclass
class MergeReport:
    """What a merge added to the result."""

    inputs: list[str] = field(default_factory=list)
    articles: int = 0
    articles_added: int = 0
    articles_updated: int = 0
    versions: int = 0
    view_counts: int = 0
    crawls_added: int = 0
    failures_added: int = 0

    def line(self, out: Path) -> str:
        return (
            f"merged {len(self.inputs)} archives into {out}: {self.articles} articles "
            f"({self.articles_added} added, {self.articles_updated} updated from a newer "
            f"fetch), {self.versions} versions, {self.view_counts} view counts, "
            f"{self.crawls_added} crawls and {self.failures_added} failures carried"
        )


def merge_archives(out: Path, inputs: list[Path]) -> MergeReport:
    """Merge ``inputs`` (and ``out`` when it exists) into ``out``, atomically."""
    out = Path(out)
    sources = [Path(p) for p in inputs]
    for source in sources:
        if not source.exists():
            raise StorageError(f"database not found: {source}")
    if not out.parent.is_dir():
        raise StorageError(f"directory does not exist: {out.parent}")
    handle, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    temp = Path(temp_name)
    report = MergeReport(inputs=[str(p) for p in sources])
    try:
        base = out if out.exists() else None
        if base is not None:
            _copy(base, temp)
        store = ArchiveStore(temp)  # creates or completes the schema
        try:
            for trigger in FTS_TRIGGERS:  # the index is built once, by _finish
                store.db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            _add_origin_column(store)
            for source in sources:
                if base is not None and _same_file(source, base):
                    continue  # OUT is already the base
                _merge_one(store, source, report)
            _finish(store, report)
        finally:
            store.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        os.replace(temp, out)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot merge into {out}: {exc}") from exc
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
    return report


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of the archive ``source`` (SQLite's backup API, WAL included)."""
    src = open_database(source, create=False)
    try:
        dst = sqlite3.connect(target)
        try:
            src.conn.backup(dst)
        finally:
            dst.close()
    finally:
        src.conn.close()
    converted = sqlite3.connect(target)
    converted.execute("PRAGMA journal_mode = DELETE")
    converted.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _add_origin_column(store: ArchiveStore) -> None:
    if "origin" not in store.db["crawls"].columns_dict:
        store.db["crawls"].add_column("origin", str)


def _columns(db, schema: str, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA {schema}.table_info({table})").fetchall()]


def _merge_one(store: ArchiveStore, source: Path, report: MergeReport) -> None:
    db = store.db
    open_database(source, create=False).conn.close()  # a one-line error for a bad file
    db.conn.execute("ATTACH DATABASE ? AS src", [str(source)])
    try:
        with db.conn:
            if not _columns(db, "src", "articles"):
                raise StorageError(f"not a news-archive database (no articles table): {source}")
            crawl_ids = _merge_crawls(db, source, report)
            _merge_articles(db, report)
            _merge_versions(db, crawl_ids, report)
            _merge_simple(db, crawl_ids, report)
    finally:
        db.conn.execute("DETACH DATABASE src")


def _merge_crawls(db, source: Path, report: MergeReport) -> dict[int, int]:
    """Carry the source's runs; their old id → the id in the result."""
    target_columns = _columns(db, "main", "crawls")
    source_columns = [c for c in _columns(db, "src", "crawls") if c in target_columns]
    known = {
        (row[0], row[1], row[2] or "crawl"): row[3]
        for row in db.execute("SELECT started_at, pid, kind, id FROM main.crawls")
    }
    mapping: dict[int, int] = {}
    rows = db.execute(f"SELECT {', '.join(source_columns)} FROM src.crawls ORDER BY id")
    for values in rows.fetchall():
        row = dict(zip(source_columns, values, strict=True))
        key = (row.get("started_at"), row.get("pid"), row.get("kind") or "crawl")
        if key in known:
            mapping[row["id"]] = known[key]
            continue
        old_id = row.pop("id")
        row["origin"] = row.get("origin") or f"{source.name}#{old_id}"
        names = list(row)
        cursor = db.execute(
            f"INSERT INTO main.crawls ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [row[n] for n in names],
        )
        mapping[old_id] = cursor.lastrowid
        known[key] = cursor.lastrowid
        report.crawls_added += 1
    return mapping


def _merge_articles(db, report: MergeReport) -> None:
    """New URLs inserted; a URL fetched later in the source takes the source's fields."""
    target = _columns(db, "main", "articles")
    shared = [c for c in _columns(db, "src", "articles") if c in target]
    names = ", ".join(shared)
    added = db.execute(
        f"INSERT INTO main.articles ({names}) SELECT {names} FROM src.articles AS s "
        "WHERE s.url NOT IN (SELECT url FROM main.articles)"
    ).rowcount
    report.articles_added += max(added, 0)
    updated_columns = [c for c in shared if c not in ("url", "first_seen", "version")]
    assignments = ", ".join(
        f"{c} = (SELECT s.{c} FROM src.articles AS s WHERE s.url = main.articles.url)"
        for c in updated_columns
    )
    newer = (
        "url IN (SELECT s.url FROM src.articles AS s JOIN main.articles AS m ON m.url = s.url "
        "WHERE s.last_seen > m.last_seen)"
    )
    updated = db.execute(f"UPDATE main.articles SET {assignments} WHERE {newer}").rowcount
    report.articles_updated += max(updated, 0)
    db.execute(
        "UPDATE main.articles SET first_seen = (SELECT s.first_seen FROM src.articles AS s "
        "WHERE s.url = main.articles.url) WHERE url IN (SELECT s.url FROM src.articles AS s "
        "JOIN main.articles AS m ON m.url = s.url WHERE s.first_seen < m.first_seen)"
    )


#: URLs whose versions are merged at a time: their texts (both sides) are held in memory.
VERSION_CHUNK = 500


def _merge_versions(db, crawl_ids: dict[int, int], report: MergeReport) -> None:
    """Every text of either side once, in the order seen; versions renumbered. A chunk
    of URLs at a time, so memory does not grow with the archive."""
    urls = [
        row[0] for row in db.execute("SELECT DISTINCT url FROM src.article_versions ORDER BY url")
    ]
    for start in range(0, len(urls), VERSION_CHUNK):
        _merge_version_chunk(db, urls[start : start + VERSION_CHUNK], crawl_ids)


def _merge_version_chunk(db, urls: list[str], crawl_ids: dict[int, int]) -> None:
    marks = ", ".join("?" * len(urls))
    texts: dict[str, list[tuple]] = defaultdict(list)
    for side in ("main", "src"):
        sql = (
            f"SELECT url, seen_at, title, body, crawl_id, version FROM {side}.article_versions "
            f"WHERE url IN ({marks})"
        )
        for url, seen_at, title, body, crawl_id, version in db.execute(sql, urls).fetchall():
            if side == "src":
                crawl_id = crawl_ids.get(crawl_id, crawl_id)
            texts[url].append(
                (seen_at or "", 0 if side == "main" else 1, version, title, body, crawl_id)
            )
    current = {
        url: (title, body)
        for url, title, body in db.execute(
            f"SELECT url, title, body FROM main.articles WHERE url IN ({marks})", urls
        )
    }
    rows, versions = [], []
    for url, seen in texts.items():
        seen.sort()
        kept: list[tuple] = []
        for seen_at, _side, _version, title, body, crawl_id in seen:
            if kept and (kept[-1][1], kept[-1][2]) == (title, body):
                continue
            kept.append((seen_at, title, body, crawl_id))
        rows.extend((url, n, t, b, s, c) for n, (s, t, b, c) in enumerate(kept, 1))
        version = len(kept)
        if url in current:
            for n in range(len(kept), 0, -1):
                if (kept[n - 1][1], kept[n - 1][2]) == current[url]:
                    version = n
                    break
        versions.append((version, url))
    db.execute(f"DELETE FROM main.article_versions WHERE url IN ({marks})", urls)
    db.conn.executemany(
        "INSERT INTO main.article_versions (url, version, title, body, seen_at, crawl_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany("UPDATE main.articles SET version = ? WHERE url = ?", versions)


def _merge_simple(db, crawl_ids: dict[int, int], report: MergeReport) -> None:
    """View counts, aliases, failures and list walks: the union, crawl ids followed."""
    mapping = list(crawl_ids.items())
    db.execute("CREATE TEMP TABLE IF NOT EXISTS crawl_map (old INTEGER PRIMARY KEY, new INTEGER)")
    db.execute("DELETE FROM temp.crawl_map")
    db.conn.executemany("INSERT INTO temp.crawl_map (old, new) VALUES (?, ?)", mapping)
    new_id = "(SELECT new FROM temp.crawl_map WHERE old = {})"
    db.execute(
        "INSERT OR IGNORE INTO main.view_counts (url, seen_at, views, crawl_id) "
        f"SELECT url, seen_at, views, {new_id.format('s.crawl_id')} FROM src.view_counts AS s"
    )
    db.execute(
        "INSERT OR IGNORE INTO main.url_aliases (alias, url, first_seen) "
        "SELECT alias, url, first_seen FROM src.url_aliases"
    )
    target = _columns(db, "main", "failures")
    shared = [c for c in _columns(db, "src", "failures") if c in target and c != "id"]
    select = [
        new_id.format(f"s.{c}") if c in ("crawl_id", "resolved_crawl_id") else f"s.{c}"
        for c in shared
    ]
    added = db.execute(
        f"INSERT INTO main.failures ({', '.join(shared)}) SELECT {', '.join(select)} "
        "FROM src.failures AS s WHERE NOT EXISTS (SELECT 1 FROM main.failures AS m "
        "WHERE m.url = s.url AND m.failed_at IS s.failed_at AND m.kind IS s.kind "
        "AND m.status IS s.status AND m.page IS s.page)"
    ).rowcount
    report.failures_added += max(added, 0)
    db.execute(
        "INSERT INTO main.list_walks (start_url, completed_at, crawl_id) "
        f"SELECT start_url, completed_at, {new_id.format('s.crawl_id')} FROM src.list_walks AS s "
        "WHERE true ON CONFLICT(start_url) DO UPDATE SET completed_at = excluded.completed_at, "
        "crawl_id = excluded.crawl_id WHERE excluded.completed_at > list_walks.completed_at"
    )
    shared = [
        c for c in _columns(db, "src", "crawl_sites") if c in _columns(db, "main", "crawl_sites")
    ]
    if shared:  # an archive from before sites were named has no crawl_sites
        select = [new_id.format("s.crawl_id") if c == "crawl_id" else f"s.{c}" for c in shared]
        db.execute(
            f"INSERT OR IGNORE INTO main.crawl_sites ({', '.join(shared)}) "
            f"SELECT {', '.join(select)} FROM src.crawl_sites AS s"
        )


def _finish(store: ArchiveStore, report: MergeReport) -> None:
    db = store.db
    ensure_fts(db)  # the index in one pass, and its triggers back
    report.articles = db["articles"].count
    report.versions = db["article_versions"].count
    report.view_counts = db["view_counts"].count
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
