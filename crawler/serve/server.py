"""Running Datasette on an archive for ``news-archive serve``: read-only, live.

The archive is attached as a *mutable* database, which Datasette reads through
``file:…?mode=ro`` connections: nothing it runs can write (SQLite refuses), and unlike
``--immutable`` it sees what a crawl commits while it serves. No plugin here writes.
An archive created before foreign keys were declared gets them first (one rebuild,
only when no crawl holds the lock; otherwise the links appear after the next crawl).

Imports: the standard library, datasette, uvicorn (Datasette's server),
:mod:`crawler.archive` and :mod:`crawler.crawl_lock`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

from crawler import crawl_lock
from crawler.archive.database import open_archive, open_database
from crawler.archive.schema import add_missing_foreign_keys, missing_foreign_keys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare_archive(path: Path, say: Callable[[str], None]) -> None:
    """Check ``path`` is an archive (:class:`StorageError` if not) and declare missing
    foreign keys when no crawl is running on it."""
    db = open_archive(path)
    try:
        if not missing_foreign_keys(db):
            return
        try:
            crawl_lock.acquire(path)
        except crawl_lock.CrawlLocked:
            say("a crawl is running: links between tables appear after it")
            return
        try:
            say("declaring foreign keys in the archive (once)...")
            writable = open_database(path, create=False)  # reading commands open it read-only
            try:
                add_missing_foreign_keys(writable)
            finally:
                writable.close()
        finally:
            crawl_lock.release(path)
    finally:
        db.close()


def make_datasette(path: Path):
    """A Datasette instance serving ``path`` read-only (mode=ro connections)."""
    from datasette.app import Datasette

    return Datasette([str(path)], settings={"default_page_size": 50})


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (``port`` 0: any free port); :class:`OSError` if taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(datasette, sock: socket.socket) -> None:
    """Run Datasette on ``sock`` until interrupted (Ctrl-C, SIGTERM)."""
    import uvicorn

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(datasette.invoke_startup())
    finally:
        loop.close()
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "bind",
    "is_loopback",
    "make_datasette",
    "prepare_archive",
    "serve",
]
