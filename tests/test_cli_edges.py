"""Rough edges of the command line a newcomer and a cron operator hit: bad arguments
create nothing, the summary line of a cron log, the demo run twice."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.crawl_helpers import news_archive

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--log-file", "/missing/dir/crawl.log"], "directory does not exist: /missing/dir"),
        (["--warc", "/missing/x.warc.gz"], "directory does not exist: /missing"),
        (["-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY must be a number, not 'abc'"),
        (["-s", "CONCURRENT_REQUESTS=many"], "must be a whole number"),
        (["-s", "AUTOTHROTTLE_ENABLED=maybe"], "must be true or false"),
        (["-s", "NEWS_ARCHIVE_SITE=nope"], "unknown site 'nope'"),
        (["-s", "NEWS_ARCHIVE_WARC=/missing/x.warc.gz"], "directory does not exist"),
        (["-s", "LOG_LEVEL=LOUD"], "unknown log level"),
        (["-s", "NOVALUE"], "expected NAME=VALUE"),
        (["-s", "ITEM_PIPELINES={bad"], "ITEM_PIPELINES cannot be set to '{bad'"),
        (["--start-url", "not-a-url"], "not an http(s) URL"),
    ],
)
def test_bad_crawl_arguments_are_one_line_exit_2_and_create_nothing(tmp_path, args, message):
    home = tmp_path / "data"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    # Once with --db in an existing directory, once with the default archive.
    for db in (["--db", str(home / "archive.db")], []):
        result = news_archive(
            "crawl", *db, *args, cwd=work, env={"XDG_DATA_HOME": str(home), "NEWS_ARCHIVE_DB": ""}
        )
        assert result.returncode == 2, result.stderr[-2000:]
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert files_under(home) == [] and files_under(work) == []


def test_inspect_names_its_own_argument():
    result = news_archive("inspect", "not a url")
    assert result.returncode == 2
    assert "--start-url" not in result.stderr
    assert "Invalid value for URL: not an http(s) URL: 'not a url'" in result.stderr


@pytest.mark.e2e
def test_summary_line_for_cron_time_absolute_path_and_first_cause(tmp_path):
    """A crawl of a port where nothing listens: the summary says when, where and why."""
    logs = tmp_path / "logs"  # missing; its parent exists: created for the log
    result = news_archive(
        "crawl",
        "--db",
        "relative.db",
        "--start-url",
        "http://127.0.0.1:9/ru/news/",
        "--log-file",
        str(logs / "crawl.log"),
        "-s",
        "RETRY_TIMES=0",
        "-s",
        "ROBOTSTXT_OBEY=False",
        cwd=tmp_path,
    )
    assert result.returncode == 5, result.stdout + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.match(STAMP + " crawl 1 unhealthy: 0 new, ", summary), summary
    assert "; 0 list pages, 0 article pages, 1 request in " in summary
    assert f"db {tmp_path / 'relative.db'} — " in summary
    assert "no list page could be fetched (first: http://127.0.0.1:9/ru/news/: " in summary
    assert "Connection refused" in summary
    assert "1 list page could not be fetched" in summary
    assert (logs / "crawl.log").read_text(encoding="utf-8").strip().endswith(summary)


def article_urls(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [url for (url,) in conn.execute("SELECT url FROM articles ORDER BY url")]
    finally:
        conn.close()


def strip_port(urls: list[str]) -> list[str]:
    return [re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1", u) for u in urls]


@pytest.mark.e2e
def test_demo_twice_gives_the_same_archive_and_says_what_the_warnings_are(tmp_path):
    db = tmp_path / "demo.db"
    first = news_archive("demo", "--db", str(db), cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    urls = article_urls(db)
    assert len(urls) == 180
    second = news_archive("demo", "--db", str(db), cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    again = article_urls(db)
    assert len(again) == 180 and strip_port(again) == strip_port(urls)
    lines = second.stdout.splitlines()
    summary = next(i for i, line in enumerate(lines) if " crawl 1 ok: 180 new" in line)
    planted = next(i for i, line in enumerate(lines) if "planted faults" in line)
    hints = next(i for i, line in enumerate(lines) if line.startswith("next:"))
    assert summary < planted < hints
    assert "WARNING" in second.stderr  # the planted faults, announced before the crawl
    assert "on purpose" in lines[1]


def test_demo_never_replaces_an_archive_that_is_not_a_demo(archive_path):
    before = archive_path.read_bytes()
    result = news_archive("demo", "--db", str(archive_path))
    assert result.returncode == 2
    assert "not a demo archive" in result.stderr
    assert archive_path.read_bytes() == before


# -- Scrapy's own commands ---------------------------------------------------------


def scrapy(*args: str, env: dict | None = None, timeout: float = 180):
    import os
    import subprocess
    import sys

    from tests.crawl_helpers import ROOT

    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


FAST_SCRAPY = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "RETRY_BACKOFF_BASE=0",
]


def test_scrapy_list_shows_the_news_spider_only():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["news"]


@pytest.mark.e2e
def test_scrapy_parse_shows_what_inspect_shows_and_stores_nothing(tmp_path):
    from crawler.fixture_site import FixtureSite

    fresh = {"XDG_DATA_HOME": str(tmp_path / "data"), "NEWS_ARCHIVE_DB": ""}
    with FixtureSite(layout="custom", articles_per_lang=12) as site:
        article = next(
            a["url"] for a in site.expected_articles() if a["title"] == "Семинар в Индерском районе"
        )
        result = scrapy("parse", "--spider", "news", article, *FAST_SCRAPY, env=fresh)
        listing = scrapy("parse", "--spider", "news", site.start_urls[0], *FAST_SCRAPY, env=fresh)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "NotImplementedError" not in result.stderr and "Traceback" not in result.stderr
    assert "'views': 409" in result.stdout and "'published': '2022-08-24'" in result.stdout
    assert listing.returncode == 0, listing.stderr[-3000:]
    assert "PAGEN_1=2" in listing.stdout  # the next page, among the requests
    assert not (tmp_path / "data").exists()  # no archive was created


@pytest.mark.e2e
def test_scrapy_crawl_on_a_fresh_machine_and_feed_columns(tmp_path):
    from crawler.archive.export import ARTICLE_ORDER
    from crawler.fixture_site import FixtureSite

    data = tmp_path / "fresh" / "data"  # not there yet, as on a fresh machine
    env = {"XDG_DATA_HOME": str(data), "NEWS_ARCHIVE_DB": ""}
    with FixtureSite(layout="custom", articles_per_lang=12) as site:
        start = "start_urls=" + ",".join(site.start_urls)
        feed = tmp_path / "items.csv"
        result = scrapy("crawl", "news", "-a", start, *FAST_SCRAPY, "-O", str(feed), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "never retrieved" not in result.stderr
    assert (data / "news-archive" / "archive.db").is_file()
    header = feed.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(ARTICLE_ORDER)


def test_scrapy_crawl_with_a_bad_start_url_is_one_line(tmp_path):
    result = scrapy(
        "crawl", "news", "-a", "start_urls=not-a-url", "-s", f"NEWS_ARCHIVE_DB={tmp_path}/a.db"
    )
    assert result.returncode == 2
    assert "Error: -a start_urls: not an http(s) URL: 'not-a-url'" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- stats and an interrupted crawl -------------------------------------------------


def test_stats_shows_the_reasons_of_the_last_unhealthy_run(archive_path):
    from click.testing import CliRunner

    from crawler.archive.store import ArchiveStore
    from crawler.cli import main

    store = ArchiveStore(archive_path)
    crawl_id = store.start_crawl({"start_urls": ["http://x/"]}, 1)
    store.finish_crawl(
        crawl_id, "unhealthy", 5, {"summary": "no list page could be fetched (first: x)"}
    )
    running = store.start_crawl({"start_urls": ["http://x/"]}, 2)
    store.close()
    result = CliRunner().invoke(main, ["stats", "--db", str(archive_path)])
    assert f"Last crawl: #{running} running, started " in result.stdout
    assert ", not finished: 0 new" in result.stdout
    assert " to not finished" not in result.stdout
    store = ArchiveStore(archive_path)
    store.db.execute("DELETE FROM crawls WHERE id = ?", [running])
    store.db.conn.commit()
    store.close()
    result = CliRunner().invoke(main, ["stats", "--db", str(archive_path)])
    line = next(line for line in result.stdout.splitlines() if line.startswith("Last crawl:"))
    assert re.match(rf"Last crawl: #{crawl_id} unhealthy, {STAMP} to {STAMP}: ", line), line
    assert line.endswith(" — no list page could be fetched (first: x)")


class NeverAnswers:
    """A server that accepts connections and never answers: a download in flight
    keeps a graceful shutdown waiting (until a second Ctrl-C)."""

    def __enter__(self):
        import socket
        import threading

        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/ru/news/"
        self.held: list = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def __exit__(self, *exc):
        self.server.close()
        for connection in self.held:
            connection.close()


@pytest.mark.e2e
def test_a_double_ctrl_c_keeps_the_count_and_closes_the_run(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time

    from crawler.fixture_site import FixtureSite
    from tests.crawl_helpers import FAST, ROOT

    db = tmp_path / "archive.db"
    with FixtureSite(layout="mixed", articles_per_lang=300) as site, NeverAnswers() as hang:
        args = [sys.executable, "-m", "crawler", "crawl", "--db", str(db)]
        for url in [hang.url, *site.start_urls]:
            args += ["--start-url", url]
        crawl = subprocess.Popen(
            [*args, *FAST, "-s", "DOWNLOAD_TIMEOUT=600", "-s", "NEWS_ARCHIVE_PARSE_PROCESSES=0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        graceful = threading.Event()

        def read_log():
            for line in crawl.stderr:
                lines.append(line)
                if "shutting down gracefully" in line:
                    graceful.set()
            graceful.set()

        reader = threading.Thread(target=read_log, daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while crawl.poll() is None and time.monotonic() < deadline:  # some articles stored
            if db.exists() and stored_count(db) >= 20:
                break
            time.sleep(0.05)
        assert crawl.poll() is None, "".join(lines)[-3000:]
        crawl.send_signal(signal.SIGINT)
        assert graceful.wait(timeout=120)
        assert crawl.poll() is None, "the crawl ended before the second Ctrl-C"
        crawl.send_signal(signal.SIGINT)  # the hanging download keeps it from closing
        out = crawl.stdout.read()
        crawl.wait(timeout=120)
        reader.join(timeout=60)
    err = "".join(lines)
    assert crawl.returncode == 1, out + err[-3000:]
    stored = stored_count(db)
    summary = out.strip().splitlines()[-1]
    assert re.match(rf"{STAMP} crawl 1 aborted: {stored} new, ", summary), summary
    assert stored >= 20
    assert " in 0.0 s" not in summary
    conn = sqlite3.connect(db)
    status, new, finished = conn.execute(
        "SELECT status, articles_new, finished_at FROM crawls WHERE id = 1"
    ).fetchone()
    conn.close()
    assert (status, new) == ("aborted", stored) and finished
    assert os.path.exists(db)


def stored_count(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
