"""``news-archive demo``: the demo archive, rebuilt on every run, and what the demo says.

The fixture site listens on a free port that changes from run to run, and the port is
part of every stored URL; an incremental crawl into last run's archive would store every
article again under new URLs (and keep the old ones, pointing at a dead port). So the
demo archive, and its raw captures, are rebuilt on each run
(:func:`reset_demo_archive`): a second demo gives the same archive. Only an archive
whose every article and start list is on the local demo host is replaced; any other
file is refused (:class:`NotADemoArchive`).

Imports the standard library and :mod:`crawler.warc` (where the captures are).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

from crawler.warc import capture_dir

#: The host the fixture site is served on.
DEMO_HOST = "127.0.0.1"
#: The files an SQLite archive in WAL mode consists of, beside the database itself.
SIDECARS = ("-wal", "-shm", "-journal")

#: Printed before the crawl: its warnings are expected.
PLANTED_FAULTS_AHEAD = (
    "The demo site plants the faults of real archives on purpose: the WARNING lines "
    "below (list links to missing pages, HTTP 404; dates the page does not give, "
    "'Дата уточняется') are expected."
)


class NotADemoArchive(Exception):
    """The demo's --db holds something else than a demo archive: it is not replaced."""


def _hosts(conn: sqlite3.Connection) -> set[str]:
    """Hosts of every stored article and every crawl's start lists."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    hosts: set[str] = set()
    if "articles" in tables:
        hosts |= {
            urlsplit(url).hostname or "" for (url,) in conn.execute("SELECT url FROM articles")
        }
    if "crawls" in tables:
        for (arguments,) in conn.execute("SELECT arguments FROM crawls"):
            try:
                start_urls = (json.loads(arguments or "{}") or {}).get("start_urls") or []
            except (ValueError, AttributeError):
                start_urls = ["?"]
            hosts |= {urlsplit(str(url)).hostname or "" for url in start_urls}
    return hosts


def reset_demo_archive(path: Path) -> bool:
    """Delete the demo archive at ``path`` (and its WAL files) so the demo rebuilds it;
    False when there was none. Raises :class:`NotADemoArchive` when ``path`` is not a
    demo archive (a real archive given as ``--db`` by mistake, any other file)."""
    path = Path(path)
    if not path.exists():
        return False
    if not path.is_file():
        raise NotADemoArchive(f"not a demo archive (not a file): {path}")
    refusal = NotADemoArchive(f"not a demo archive, left as it is: {path} (choose another --db)")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True)
        try:
            hosts = _hosts(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        raise refusal from None
    if hosts - {DEMO_HOST}:
        raise refusal
    for suffix in SIDECARS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.unlink()
    captures = capture_dir(path)
    if captures.is_dir():  # the old demo's raw captures go with it
        for file in captures.glob("news-archive-*.warc.gz"):
            file.unlink()
        if not any(captures.iterdir()):
            captures.rmdir()
    return True


def after_the_crawl(stats: dict, db_path: Path) -> str:
    """What the demo prints after its summary line: the warnings were planted, then
    what to try next."""
    warnings = stats.get("log_count/WARNING", 0)
    lines = []
    if warnings:
        lines.append(
            f"The {warnings} warning(s) above are the demo site's planted faults: a real "
            "crawl records such failures (table failures) and unreadable dates (kept raw, "
            "published_raw) and goes on."
        )
    lines.append(
        f"raw captures (pages and their images): {capture_dir(db_path)}/\n"
        f"next: news-archive stats --db {db_path}\n"
        f"      news-archive search медиация --db {db_path}\n"
        f"      news-archive export --format xlsx --db {db_path}\n"
        f"      news-archive serve --db {db_path} --open\n"
        f"      news-archive reparse --dry-run --db {db_path}"
    )
    return "\n".join(lines)
