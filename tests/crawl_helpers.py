"""Running the real command line against the fixture site, for end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.crawl_runner import FAST_LOCAL_SETTINGS

ROOT = Path(__file__).resolve().parent.parent

#: Fast settings for the local fixture site, as ``-s`` pairs.
FAST = [
    arg
    for name, value in {**FAST_LOCAL_SETTINGS, "LOG_LEVEL": "INFO"}.items()
    for arg in ("-s", f"{name}={value}")
]


def news_archive(
    *args: str, cwd: Path | None = None, timeout: float = 180, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run ``python -m crawler ARGS`` in a subprocess (a fresh Twisted reactor each time)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def crawl(db: Path, start_urls: list[str], *extra: str, **kwargs) -> subprocess.CompletedProcess:
    """``news-archive crawl --db DB --start-url ... -s <fast settings> EXTRA``."""
    args = ["crawl", "--db", str(db)]
    for url in start_urls:
        args += ["--start-url", url]
    return news_archive(*args, *FAST, *extra, **kwargs)


def stored_articles(db: Path) -> list[dict]:
    """The ``articles`` rows, comparable with ``FixtureSite.expected_articles()``."""
    import sqlite_utils

    rows = []
    for row in sqlite_utils.Database(db).query("select * from articles order by url"):
        row["image_urls"] = json.loads(row["image_urls"])
        rows.append(row)
    return rows
