"""Opening the archive file: where it is, WAL mode, the busy timeout, one-line errors.

Holds :func:`open_database`, :func:`open_archive` and :func:`connect_read_only` (the
reading commands: no write access needed), :func:`default_db_path`, :class:`StorageError`,
:data:`BUSY_TIMEOUT_MS` and :func:`utc_now` (the timestamp every table uses).

Imports: the standard library and sqlite-utils only — nothing from ``crawler``, so
every other module of :mod:`crawler.archive` may import it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

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


def _read_only_uri(path: Path, immutable: bool) -> str:
    return f"file:{quote(str(path.absolute()))}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing database, which needs no write access to
    the file or its directory.

    ``mode=ro`` first (it sees what a running crawl has committed). A WAL archive that
    this user cannot write to, and whose ``-shm`` file is missing, cannot be opened so
    (SQLite would have to create the ``-shm``): it is then opened ``immutable=1``,
    which reads the main file as it is (whatever a crawl still holds in its ``-wal``
    is not seen). Raises :class:`StorageError`.
    """
    path = Path(path)
    if not path.is_file():
        raise StorageError(f"database not found: {path}")
    error: sqlite3.Error | None = None
    for immutable in (False, True):
        try:
            conn = sqlite3.connect(
                _read_only_uri(path, immutable), uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as exc:
            error = exc
            continue
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            error = exc
            message = str(exc)
            if "unable to open" not in message and "readonly" not in message:
                break  # not about write access: immutable would not help
    raise StorageError(f"cannot open database {path}: {error}")


def open_archive(path: str | Path, *, read_only: bool = True) -> sqlite_utils.Database:
    """Open an existing archive for reading commands (never create one; read-only by
    default, see :func:`connect_read_only`); raise :class:`StorageError` when the file
    is missing, unreadable or not an archive."""
    if read_only:
        db = sqlite_utils.Database(connect_read_only(path))
    else:
        db = open_database(path, create=False)
    try:
        has_articles = db["articles"].exists()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot open database {path}: {exc}") from None
    if not has_articles:
        raise StorageError(f"not a news-archive database (no articles table): {path}")
    return db
