"""Every hostile case of the fixture site, crawled once: exit code, rows, peak memory.

    .venv/bin/python -m bench.hostile

One real ``news-archive crawl`` per case of :mod:`crawler.fixture_site.hostile` (fast
local settings, as the tests; the case's own ``-s`` settings where the test uses
them), into a fresh database each; prints a table for the closing note: exit status,
articles stored, failure rows (kind and retry), the ``crawls`` row's figures, peak RSS
of the crawl and its children (:mod:`bench.children`).

Imports :mod:`bench.children`, :mod:`crawler.crawl_runner`, :mod:`crawler.fixture_site`.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from bench.children import python
from crawler.crawl_runner import FAST_LOCAL_SETTINGS
from crawler.fixture_site import FixtureSite
from crawler.fixture_site.hostile import CASES

#: Settings a case is crawled with beyond the fast local ones (as in the tests).
EXTRA = {
    "busy": {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
    "refusing": {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
    "slow": {"DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "1"},
    "endless": {"NEWS_ARCHIVE_MAX_LIST_PAGES": "50"},
}


def measure(site: FixtureSite, case: str, folder: Path) -> dict:
    db = folder / f"{case}.db"
    settings = {**FAST_LOCAL_SETTINGS, **EXTRA.get(case, {})}
    args = ["-m", "crawler", "crawl", "--db", str(db), "--start-url", site.hostile_url(case)]
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    child = python(*args)
    conn = sqlite3.connect(db)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    kinds = conn.execute(
        "SELECT kind || '/retry=' || retry, count(*) FROM failures GROUP BY 1"
    ).fetchall()
    crawl = conn.execute(
        "SELECT status, list_pages, list_repeats, odd_answers, links_dropped FROM crawls"
    ).fetchone()
    conn.close()
    return {
        "case": case,
        "exit": child.returncode,
        "articles": articles,
        "failures": ", ".join(f"{k} x{n}" for k, n in kinds) or "-",
        "status": crawl[0],
        "list_pages": crawl[1],
        "peak_mb": max(child.peak_rss_mb, child.tree_peak_rss_mb),
        "seconds": child.wall_s,
    }


def main() -> None:
    rows = []
    with (
        FixtureSite(layout="default", articles_per_lang=12) as site,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for case in sys.argv[1:] or CASES:
            rows.append(measure(site, case, Path(tmp)))
            r = rows[-1]
            print(
                f"| {r['case']} | {r['exit']} | {r['status']} | {r['articles']} | "
                f"{r['failures']} | {r['list_pages']} | {r['peak_mb']:.0f} MB | "
                f"{r['seconds']:.1f} s |",
                flush=True,
            )


if __name__ == "__main__":
    main()
