"""The archive's tables and indexes, created when missing (:func:`ensure_schema`).

Imports: the standard library, sqlite-utils, :mod:`crawler.archive.database` and
:mod:`crawler.archive.search` (the full-text index is part of the schema).

Tables (documented for researchers in README.md, "Schema"):

- ``articles``: one row per article, keyed by canonical ``url``; the current text;
  ``site``: the name of its site in the sites file (its host for a site the file
  does not list);
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
  ``kind``: one of :data:`FAILURE_KINDS`; ``retry``: 1 when the next run fetches
  the article again); ``resolved_at`` is set when
  a later run fetches the URL successfully.
- ``url_aliases``: old URLs (``alias``) that redirected to a stored article (``url``).
- ``crawl_sites``: (``crawl_id``, ``site``) — each site of a run with its own figures
  and verdict (a run over many sites is judged site by site).
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
    "site": str,
}
#: Where a field's value came from (``articles.*_source``): the article page, or the
#: list item beside the article's link (used only when the page shows no such field).
FIELD_SOURCES = ("page", "list")

#: What went wrong with a fetch, with the rule for ``failures.retry``:
#:
#: - ``http``: an HTTP error status (retried for :data:`RETRYABLE_STATUSES`);
#: - ``network``: time-out, refused or broken connection (retried);
#: - ``robots``: robots.txt forbids the URL (``--full`` only);
#: - ``not_article``: a 200 page that is not an article (retried, at most
#:   :data:`ODD_ANSWER_RUNS` runs: a server glitch passes, a real non-article stops);
#: - ``odd_answer``: a 200 answer with an empty, binary or non-HTML body (as above);
#: - ``redirects``: too many redirects or a redirect loop (as above);
#: - ``too_large``: the body (or its decompressed form) is over ``DOWNLOAD_MAXSIZE``
#:   (``--full`` only);
#: - ``off_host``: a redirect to another host, not followed (``--full`` only);
#: - ``off_section``: a redirect out of the start list's section (``--full`` only);
#: - ``url_too_long``: a linked URL over ``URLLENGTH_LIMIT`` characters, never fetched
#:   (``--full`` only).
FAILURE_KINDS = (
    "http",
    "network",
    "robots",
    "not_article",
    "odd_answer",
    "redirects",
    "too_large",
    "off_host",
    "off_section",
    "url_too_long",
)

#: HTTP failures with these statuses, and network errors, are retried on the next run;
#: the others (404, 410, robots, ...) only by ``--full``.
RETRYABLE_STATUSES = (408, 429, 500, 502, 503, 504, 522, 524)

#: Kinds retried by later runs only while the URL has failed so in fewer than
#: :data:`ODD_ANSWER_RUNS` runs (unresolved): an odd answer once is no reason to skip a
#: page for good, the same answer every time is.
BOUNDED_RETRY_KINDS = ("not_article", "odd_answer", "redirects")
ODD_ANSWER_RUNS = 3


def is_retryable(failure: dict, earlier_odd: int = 0) -> bool:
    """Will the next incremental run fetch this failed article again? (List pages and
    sitemaps are read again anyway.) The value of ``failures.retry``; ``earlier_odd``:
    how many unresolved failures of a :data:`BOUNDED_RETRY_KINDS` kind the URL already
    has."""
    if failure.get("page", "article") != "article":
        return False
    kind = failure.get("kind", "http")
    if kind in BOUNDED_RETRY_KINDS:
        return earlier_odd + 1 < ODD_ANSWER_RUNS
    return kind == "network" or (kind == "http" and failure.get("status") in RETRYABLE_STATUSES)


CRAWL_COLUMNS: dict[str, type] = {
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
}

#: Figures of a run that the health verdict reads, beside the counters above (added to
#: older archives by :func:`ensure_schema`).
CRAWL_FIGURE_COLUMNS: dict[str, type] = {
    "sitemaps": int,
    "article_links": int,
    "article_links_new": int,
    "with_title": int,
    "with_published": int,
    "with_body": int,
    "storage_errors": int,
    "odd_answers": int,
    "list_repeats": int,
    "list_bound": str,
    "host_refused": str,
    "links_dropped": int,
    "memory_errors": int,
}


#: Our tables and their primary keys: a table of that name with another key is not ours.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("url",),
    "article_versions": ("url", "version"),
    "view_counts": ("url", "seen_at"),
    "crawls": ("id",),
    "failures": ("id",),
    "url_aliases": ("alias",),
    "list_walks": ("start_url",),
    "crawl_sites": ("crawl_id", "site"),
}

#: What to do with a damaged archive (said in the error).
RECOVERY = (
    "restore the file from a backup, or rescue what is readable with "
    "`sqlite3 DAMAGED.db .recover | sqlite3 NEW.db` and crawl into NEW.db"
)


class ForeignDatabase(StorageError):
    """The file is an SQLite database holding other tables than an archive's."""


def check_integrity(db: sqlite_utils.Database, path: str | Path) -> None:
    """``PRAGMA quick_check``: raise :class:`StorageError` naming the damage and the
    recovery when the file is damaged. Cost: about 1.5 s on a 100,000-article archive
    (930 MB, warm page cache), once per crawl."""
    try:
        rows = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"the archive {path} is damaged ({exc}): {RECOVERY}") from exc
    if rows != ["ok"]:
        damage = "; ".join(rows)
        raise StorageError(f"the archive {path} is damaged ({damage}): {RECOVERY}")


def check_ours(db: sqlite_utils.Database, path: str | Path, adopt: bool = False) -> None:
    """Refuse a database that holds tables but no archive (unless ``adopt``), and one
    whose archive tables have another primary key or non-integer versions: raise
    :class:`StorageError` (:class:`ForeignDatabase`) with one line."""
    try:
        names = set(db.table_names())
        if names and "articles" not in names and not adopt:
            shown = ", ".join(sorted(names)[:5])
            raise ForeignDatabase(
                f"{path} is an SQLite database of something else (tables: {shown}); "
                "not touching it. Choose another --db, or pass --adopt to add the "
                "archive's tables to it"
            )
        for table, key in TABLE_KEYS.items():
            if table in names and tuple(db[table].pks) != key:
                raise StorageError(
                    f"table {table} in {path} is not an archive table (its key is "
                    f"{', '.join(db[table].pks)}, not {', '.join(key)})"
                )
        if "articles" in names and "version" in db["articles"].columns_dict:
            bad = db.execute(
                "SELECT count(*) FROM articles "
                "WHERE version IS NOT NULL AND typeof(version) != 'integer'"
            ).fetchone()[0]
            if bad:
                raise StorageError(
                    f"{bad} articles in {path} have a version that is not a number: "
                    "the archive was edited by hand; fix articles.version first"
                )
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot read the schema of {path}: {exc}: {RECOVERY}") from exc


#: Columns added to ``crawls`` after the first release (added to older archives).
CRAWL_COLUMNS_ADDED: dict[str, type] = {
    #: ``crawl`` or ``reparse`` (re-extraction from the raw captures).
    "kind": str,
    #: JSON list of the WARC files the run wrote.
    "warc_files": str,
    #: The names of the sites the run crawled (``, ``-separated; see ``crawl_sites``).
    "site": str,
}

#: One row per site of a crawl: the site's own figures and verdict (``crawl_sites``).
CRAWL_SITE_COLUMNS: dict[str, type] = {
    "crawl_id": int,
    "site": str,
    "status": str,
    "summary": str,
    "list_pages": int,
    "sitemaps": int,
    "list_failures": int,
    "article_links": int,
    "article_links_new": int,
    "article_pages": int,
    "articles_new": int,
    "articles_changed": int,
    "articles_unchanged": int,
    "articles_failed": int,
    "with_title": int,
    "with_published": int,
    "with_body": int,
    "odd_answers": int,
    "list_repeats": int,
    "list_bound": str,
    "host_refused": str,
    "links_dropped": int,
}


#: Declared foreign keys: table → (column, other table, other column).
FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "article_versions": (("url", "articles", "url"), ("crawl_id", "crawls", "id")),
    "view_counts": (("url", "articles", "url"), ("crawl_id", "crawls", "id")),
    "failures": (("crawl_id", "crawls", "id"), ("resolved_crawl_id", "crawls", "id")),
    "url_aliases": (("url", "articles", "url"),),
    "list_walks": (("crawl_id", "crawls", "id"),),
    "crawl_sites": (("crawl_id", "crawls", "id"),),
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
    archive at ``path``, named in errors), add the columns an older archive lacks and
    declare missing foreign keys."""
    try:
        with db.conn:
            _create_tables(db)
            _add_missing_columns(db)
            # After the migration: an older archive gets the column first.
            db["articles"].create_index(["site", "published"], if_not_exists=True)
        add_missing_foreign_keys(db)
        ensure_fts(db)  # the search index over title and body, kept current by triggers
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot create tables in {path}: {exc}") from exc


def _add_missing_columns(db: sqlite_utils.Database) -> None:
    """Migration: columns added since an archive was created (nullable, so old rows
    stay valid: ``published_source`` and friends are unknown for what was stored before)."""
    wanted = {
        "articles": ARTICLE_COLUMNS,
        "crawls": {**CRAWL_COLUMNS, **CRAWL_FIGURE_COLUMNS, **CRAWL_COLUMNS_ADDED},
    }
    for table, columns in wanted.items():
        have = db[table].columns_dict
        for name, kind in columns.items():
            if name not in have:
                db[table].add_column(name, kind)


def _create_tables(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        ARTICLE_COLUMNS, pk="url", not_null=["first_seen", "last_seen"], if_not_exists=True
    )
    db["crawls"].create(
        {**CRAWL_COLUMNS, **CRAWL_FIGURE_COLUMNS, **CRAWL_COLUMNS_ADDED},
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
    db["crawl_sites"].create(
        CRAWL_SITE_COLUMNS,
        pk=("crawl_id", "site"),
        foreign_keys=FOREIGN_KEYS["crawl_sites"],
        if_not_exists=True,
    )
    db["articles"].create_index(["published"], if_not_exists=True)
    db["articles"].create_index(["lang", "published"], if_not_exists=True)
    db["failures"].create_index(["url"], if_not_exists=True)
