"""One crawl per database: an exclusive lock on ``<database>.lock``.

The lock is an ``flock`` held for the life of the process, so the kernel releases it
when the process dies however it dies (SIGKILL included): a lock file left behind by a
killed crawl is simply taken over by the next one. The file holds the holder's pid so
that a refused crawl can name it.

Imports the standard library only.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class CrawlLocked(Exception):
    """Another process is crawling into the same database."""


_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, holders in this process)


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


def acquire(db_path: str | Path) -> Path:
    """Take the crawl lock for ``db_path`` or raise :class:`CrawlLocked`.

    Re-entrant within one process (the CLI and the pipeline may both ask).
    """
    path = lock_path(db_path)
    key = str(path.resolve())
    if key in _held:
        fd, count = _held[key]
        _held[key] = (fd, count + 1)
        return path
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise CrawlLocked(
            f"another crawl (pid {holder}) is running on this database: lock {path}"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held[key] = (fd, 1)
    return path


def release(db_path: str | Path) -> None:
    """Give back one hold on the lock; the last one unlocks and closes it."""
    key = str(lock_path(db_path).resolve())
    if key not in _held:
        return
    fd, count = _held.pop(key)
    if count > 1:
        _held[key] = (fd, count - 1)
        return
    os.ftruncate(fd, 0)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
