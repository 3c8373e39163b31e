"""Opening the archive file: where it is, WAL mode, the busy timeout, one-line errors.

Holds :func:`open_database`, :func:`default_db_path`, :class:`StorageError`,
:data:`BUSY_TIMEOUT_MS` and :func:`utc_now` (the timestamp every table uses).

Imports: the standard library and sqlite-utils only — nothing from ``crawler``, so
every other module of :mod:`crawler.archive` may import it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

#: How long a reader or writer waits for a lock held by another connection.
BUSY_TIMEOUT_MS = 10_000


def default_db_path() -> Path:
    """``$NEWS_ARCHIVE_DB``, else ``$XDG_DATA_HOME/news-archive/archive.db``
    (``~/.local/share/news-archive/archive.db``): the same file from any directory."""
    if os.environ.get("NEWS_ARCHIVE_DB"):
        return Path(os.environ["NEWS_ARCHIVE_DB"]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "news-archive" / "archive.db"


class StorageError(Exception):
    """The database cannot be opened or written (corrupt, locked, unreadable)."""


def utc_now() -> str:
    """Current UTC time as ISO 8601 with seconds, e.g. ``2026-11-25T22:30:00Z``."""
    # time.strftime, not datetime.strftime: the latter looks ``time`` up through the
    # import system on every call, ~60 µs right after a page parse (cold CPU caches).
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def open_database(
    path: str | Path,
    *,
    create: bool = True,
    any_thread: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    wal: bool = True,
) -> sqlite_utils.Database:
    """Open the archive at ``path`` (WAL mode, busy timeout) and check it is SQLite.

    ``wal``: switch a created database to WAL mode here (False: the caller does, after
    checking that the file is an archive).
    ``any_thread``: the connection may be used from another thread than this one (one
    thread at a time: the caller sees to that). ``busy_timeout_ms``: how long a write
    waits for another writer's lock before it fails.
    Raises :class:`StorageError` with a one-line reason instead of sqlite3 errors.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StorageError(f"database not found: {path}")
    if path.parent and not path.parent.exists():
        raise StorageError(f"directory does not exist: {path.parent}")
    try:
        db = sqlite_utils.Database(
            sqlite3.connect(path, check_same_thread=False) if any_thread else path
        )
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if create and wal and db.journal_mode != "wal":
            db.enable_wal()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot open database {path}: {exc}") from exc
    return db


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """Open an existing archive for reading commands (never create one); raise
    :class:`StorageError` when the file is missing, unreadable or not an archive."""
    db = open_database(path, create=False)
    if not db["articles"].exists():
        raise StorageError(f"not a news-archive database (no articles table): {path}")
    return db
