"""The archive's tables and indexes, created when missing (:func:`ensure_schema`).

Imports: the standard library, sqlite-utils, :mod:`crawler.archive.database` and
:mod:`crawler.archive.search` (the full-text index is part of the schema).

Tables (documented for researchers in README.md, "Schema"):

- ``articles``: one row per article, keyed by canonical ``url``; the current text;
  ``published_source``, ``views_source``, ``category_source`` say whether the value
  came from the article page (``page``) or from its list item (``list``). Columns
  added by a newer version are added to an older archive when it is opened.
- ``article_versions``: (``url``, ``version``) — a row whenever title or body changes,
  version 1 being the text first stored. Nothing is overwritten without a copy here.
- ``view_counts``: (``url``, ``seen_at``, ``views``) — a row each time the crawler sees
  a different count, so the series of views can be plotted.
- ``crawls``: one row per run (start, end, status, arguments, counters; ``kind``: crawl
  or reparse; ``warc_files``: the captures it wrote).
- ``failures``: one row per failed fetch (``page``: article, list or sitemap;
  ``kind``: http, network, robots, not_article; ``retry``: 1 when the next run fetches
  the article again); ``resolved_at`` is set when
  a later run fetches the URL successfully.
- ``url_aliases``: old URLs (``alias``) that redirected to a stored article (``url``).
- ``list_walks``: start lists that a finished crawl walked to the end. Until a list has
  one, incremental runs walk all of its pages (a killed first crawl is completed).

Foreign keys (:data:`FOREIGN_KEYS`) are declared so that tools that read them
(Datasette, sqlite-utils) link an article to its versions and view counts and every
row to its crawl; they are not enforced (SQLite leaves ``PRAGMA foreign_keys`` off).
An archive created before they were declared gets them on the next
:func:`ensure_schema` (:func:`add_missing_foreign_keys`: each table rebuilt once by
sqlite-utils' ``transform``, indexes kept).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from crawler.archive.database import StorageError
from crawler.archive.search import ensure_fts

ARTICLE_COLUMNS: dict[str, type] = {
    "url": str,
    "lang": str,
    "title": str,
    "published": str,
    "published_raw": str,
    "views": int,
    "views_raw": str,
    "body": str,
    "category": str,
    "image_urls": str,
    "first_seen": str,
    "last_seen": str,
    "version": int,
    "lastmod": str,
    "published_source": str,
    "views_source": str,
    "category_source": str,
}
#: Where a field's value came from (``articles.*_source``): the article page, or the
#: list item beside the article's link (used only when the page shows no such field).
FIELD_SOURCES = ("page", "list")

#: What went wrong with a fetch: an HTTP error status, a network error (time-out,
#: refused connection), robots.txt forbids the URL, or the page is not an article.
FAILURE_KINDS = ("http", "network", "robots", "not_article")

#: HTTP failures with these statuses, and network errors, are retried on the next run;
#: the others (404, 410, robots, not an article) only by ``--full``.
RETRYABLE_STATUSES = (408, 429, 500, 502, 503, 504, 522, 524)


def is_retryable(failure: dict) -> bool:
    """Will the next incremental run fetch this failed article again? (List pages and
    sitemaps are read again anyway.) The value of ``failures.retry``."""
    if failure.get("page", "article") != "article":
        return False
    kind = failure.get("kind", "http")
    return kind == "network" or (kind == "http" and failure.get("status") in RETRYABLE_STATUSES)


#: Columns added to ``crawls`` after the first release (added to older archives).
CRAWL_COLUMNS_ADDED: dict[str, type] = {
    #: ``crawl`` or ``reparse`` (re-extraction from the raw captures).
    "kind": str,
    #: JSON list of the WARC files the run wrote.
    "warc_files": str,
}


#: Declared foreign keys: table → (column, other table, other column).
FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "article_versions": (("url", "articles", "url"), ("crawl_id", "crawls", "id")),
    "view_counts": (("url", "articles", "url"), ("crawl_id", "crawls", "id")),
    "failures": (("crawl_id", "crawls", "id"), ("resolved_crawl_id", "crawls", "id")),
    "url_aliases": (("url", "articles", "url"),),
    "list_walks": (("crawl_id", "crawls", "id"),),
}


def missing_foreign_keys(db: sqlite_utils.Database) -> dict[str, list[tuple[str, str, str]]]:
    """The declared foreign keys an existing archive lacks, by table."""
    missing = {}
    for table, keys in FOREIGN_KEYS.items():
        if not db[table].exists():
            continue
        have = {(fk.column, fk.other_table, fk.other_column) for fk in db[table].foreign_keys}
        lacking = [key for key in keys if key not in have]
        if lacking:
            missing[table] = lacking
    return missing


def add_missing_foreign_keys(db: sqlite_utils.Database) -> list[str]:
    """Declare the missing foreign keys (one rebuild per table, in one transaction);
    the names of the tables changed."""
    missing = missing_foreign_keys(db)
    if missing:
        with db.conn:
            for table, keys in missing.items():
                db[table].transform(add_foreign_keys=keys)
    return list(missing)


def ensure_schema(db: sqlite_utils.Database, path: str | Path) -> None:
    """Create the archive tables and indexes that do not exist yet in ``db`` (the
    archive at ``path``, named in errors); declare missing foreign keys."""
    try:
        with db.conn:
            _create_tables(db)
        add_missing_foreign_keys(db)
        ensure_fts(db)  # the search index over title and body, kept current by triggers
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot create tables in {path}: {exc}") from exc


def _create_tables(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        ARTICLE_COLUMNS, pk="url", not_null=["first_seen", "last_seen"], if_not_exists=True
    )
    _add_missing_columns(db["articles"], ARTICLE_COLUMNS)
    db["crawls"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "exit_code": int,
            "pid": int,
            "arguments": str,
            "list_pages": int,
            "list_failures": int,
            "article_pages": int,
            "pages_fetched": int,
            "articles_new": int,
            "articles_changed": int,
            "articles_unchanged": int,
            "articles_failed": int,
            "dates_unparsed": int,
            "views_unparsed": int,
            "summary": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["article_versions"].create(
        {"url": str, "version": int, "title": str, "body": str, "seen_at": str, "crawl_id": int},
        pk=("url", "version"),
        foreign_keys=FOREIGN_KEYS["article_versions"],
        if_not_exists=True,
    )
    db["view_counts"].create(
        {"url": str, "seen_at": str, "views": int, "crawl_id": int},
        pk=("url", "seen_at"),
        foreign_keys=FOREIGN_KEYS["view_counts"],
        if_not_exists=True,
    )
    db["failures"].create(
        {
            "id": int,
            "url": str,
            "crawl_id": int,
            "page": str,
            "kind": str,
            "status": int,
            "error": str,
            "retry": int,
            "failed_at": str,
            "resolved_at": str,
            "resolved_crawl_id": int,
        },
        pk="id",
        foreign_keys=FOREIGN_KEYS["failures"],
        if_not_exists=True,
    )
    db["url_aliases"].create(
        {"alias": str, "url": str, "first_seen": str},
        pk="alias",
        foreign_keys=FOREIGN_KEYS["url_aliases"],
        if_not_exists=True,
    )
    db["list_walks"].create(
        {"start_url": str, "completed_at": str, "crawl_id": int},
        pk="start_url",
        foreign_keys=FOREIGN_KEYS["list_walks"],
        if_not_exists=True,
    )
    _add_missing_columns(db["crawls"], CRAWL_COLUMNS_ADDED)
    db["articles"].create_index(["published"], if_not_exists=True)
    db["articles"].create_index(["lang", "published"], if_not_exists=True)
    db["failures"].create_index(["url"], if_not_exists=True)


def _add_missing_columns(table: sqlite_utils.db.Table, columns: dict[str, type]) -> None:
    """Migrate an archive made by an older version: add the columns it lacks (NULL in
    its rows: ``published_source`` and friends are unknown for what was stored before)."""
    have = set(table.columns_dict)
    for name, kind in columns.items():
        if name not in have:
            table.add_column(name, kind)
