"""Archive over time, end to end: incremental runs, history, lock, kill, WARC."""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from crawler.fixture_site import FixtureSite
from tests.crawl_helpers import FAST, ROOT, crawl, stored_articles
from tests.test_crawl_e2e import assert_archive_matches

#: A real crawl, server or subprocess: deselect with -m "not e2e".
pytestmark = pytest.mark.e2e


def article_paths(site) -> set[str]:
    return {
        urlsplit(a["url"])._replace(scheme="", netloc="").geturl() for a in site.expected_articles()
    }


def requested_paths(site) -> set[str]:
    return {path for _, path, _ in site.request_log}


def test_phase_two_incremental_then_full(tmp_path):
    db = tmp_path / "archive.db"
    with FixtureSite(layout="mixed") as site:
        assert crawl(db, site.start_urls, "--refresh-days", "0").returncode == 0
        old_paths = article_paths(site)
        old = {r["url"]: r for r in stored_articles(db)}

        site.set_phase(2)
        site.clear_log()
        result = crawl(db, site.start_urls, "--refresh-days", "0")
        assert result.returncode == 0, result.stderr[-3000:]
        fetched = requested_paths(site)
        new_paths = article_paths(site) - old_paths
        assert len(new_paths) == 9
        assert new_paths <= fetched
        assert not (fetched & old_paths), "an old article page was fetched"
        assert "9 new, 0 changed" in result.stdout

        site.clear_log()
        result = crawl(db, site.start_urls, "--full")
        assert result.returncode == 0, result.stderr[-3000:]
        assert_archive_matches(db, site)
    archive = sqlite_utils.Database(db)
    edited = [r["url"] for r in archive.query("select url from article_versions where version = 2")]
    assert len(edited) == 1
    versions = list(
        archive.query(
            "select version, body from article_versions where url = ? order by version", [edited[0]]
        )
    )
    assert versions[0]["body"] == old[edited[0]]["body"]
    assert versions[1]["body"] != versions[0]["body"]
    series = archive.execute(
        "select count(*) from (select url from view_counts group by url having count(*) = 2)"
    ).fetchone()[0]
    raised = sum(1 for url, row in old.items() if row["views"] is not None)
    assert series == raised
    crawls = list(archive.query("select status, articles_new, articles_changed from crawls"))
    assert [c["status"] for c in crawls] == ["ok", "ok", "ok"]
    assert crawls[2]["articles_changed"] == 1


def start_background_crawl(db, site, delay: str, *extra: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "crawler", "crawl", "--db", str(db)]
    for url in site.start_urls:
        args += ["--start-url", url]
    args += [*FAST, "-s", f"DOWNLOAD_DELAY={delay}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    args += extra
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_articles(db, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("select count(*) from articles").fetchone()[0] >= count:
                    return
        except sqlite3.Error:
            pass
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} articles after {timeout} s")


def test_second_crawl_is_refused_while_one_runs(tmp_path):
    db = tmp_path / "archive.db"
    # 600 articles at 0.05 s each: the first crawl still runs however slowly the second
    # one starts on a loaded machine (it is killed once the second has been refused).
    with FixtureSite(layout="default", articles_per_lang=200) as site:
        first = start_background_crawl(db, site, delay="0.05")
        try:
            wait_for_articles(db, 1)
            second = crawl(db, site.start_urls)
            assert second.returncode == 3
            assert f"pid {first.pid}" in second.stderr
            assert "archive.db.lock" in second.stderr
            assert "Traceback" not in second.stderr
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()


def test_database_locked_by_another_writer_stops_the_crawl_cleanly(tmp_path):
    """A write lock held elsewhere for longer than the busy timeout: one clear line,
    exit status 4, no traceback, no half-written batch; the next run completes the
    archive."""
    db = tmp_path / "archive.db"
    with FixtureSite(layout="default") as site:
        args = [sys.executable, "-m", "crawler", "crawl", "--db", str(db)]
        for url in site.start_urls:
            args += ["--start-url", url]
        args += [*FAST, "-s", "DOWNLOAD_DELAY=0.02", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        args += ["-s", "NEWS_ARCHIVE_BUSY_TIMEOUT=0.3", "-s", "NEWS_ARCHIVE_COMMIT_SECONDS=0.2"]
        first = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_articles(db, 1)
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            out, err = first.communicate(timeout=120)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert first.returncode == 4, err.decode()[-3000:]
        log = err.decode()
        assert "Traceback" not in log
        assert "database is locked: stopping the crawl" in log
        assert "storage_error" in out.decode()
        with sqlite3.connect(db) as conn:
            versions = conn.execute("select count(*) from article_versions").fetchone()[0]
            articles = conn.execute("select count(*) from articles").fetchone()[0]
            assert versions == articles  # whole batches only
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        again = crawl(db, site.start_urls)
        assert again.returncode == 0, again.stderr[-3000:]
        assert_archive_matches(db, site)


def test_stale_lock_is_taken_over_and_log_file_ends_with_summary(tmp_path):
    db, log = tmp_path / "archive.db", tmp_path / "crawl.log"
    (tmp_path / "archive.db.lock").write_text("999999\n")
    with FixtureSite(layout="custom", articles_per_lang=12) as site:
        result = crawl(db, site.start_urls, "--log-file", str(log))
        assert result.returncode == 0, result.stderr[-3000:]
        assert_archive_matches(db, site)
    summary = result.stdout.strip().splitlines()[-1]
    assert re.match(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ crawl 1 ok: 36 new, 0 changed, 0 unchanged, 3 failed;",
        summary,
    )
    assert log.read_text(encoding="utf-8").strip().splitlines()[-1].endswith(summary)
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")


def test_sigkill_mid_crawl_then_normal_run_completes_archive(tmp_path):
    db = tmp_path / "archive.db"
    # Far more articles than are stored when the kill comes, committed as they come
    # (every 0.1 s): the kill lands mid-crawl however slow the machine is. With the
    # default 2 s batches a loaded machine could see its first 40 articles only in a
    # batch written after the last page.
    with FixtureSite(layout="mixed", articles_per_lang=200) as site:
        victim = start_background_crawl(db, site, "0.02", "-s", "NEWS_ARCHIVE_COMMIT_SECONDS=0.1")
        wait_for_articles(db, 40)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            stored = conn.execute("select count(*) from articles").fetchone()[0]
        assert 0 < stored < len(site.expected_articles())
        result = crawl(db, site.start_urls)
        assert result.returncode == 0, result.stderr[-3000:]
        assert_archive_matches(db, site)
    archive = sqlite_utils.Database(db)
    statuses = [r["status"] for r in archive.query("select status from crawls order by id")]
    assert statuses == ["interrupted", "ok"]
    # the killed crawl's captures stay readable: warcio's checker passes on every file
    captures = sorted((tmp_path / "archive.warc").glob("*.warc.gz"))
    assert len(captures) == 2
    warcio = Path(sys.executable).with_name("warcio")
    check = subprocess.run([str(warcio), "check", *map(str, captures)], capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (
        archive.execute(
            "select count(*) from article_versions group by url having count(*) > 1"
        ).fetchall()
        == []
    )


def test_warc_holds_every_response(tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    db, warc = tmp_path / "archive.db", tmp_path / "crawl.warc.gz"
    with FixtureSite(layout="mixed", articles_per_lang=12) as site:
        result = crawl(db, site.start_urls, "--warc", str(warc))
        assert result.returncode == 0, result.stderr[-3000:]
        expected = {a["url"] for a in site.expected_articles()}
    responses, requests = {}, 0
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                responses[record.rec_headers.get_header("WARC-Target-URI")] = (
                    record.http_headers.get_statuscode(),
                    record.content_stream().read(),
                )
            elif record.rec_type == "request":
                requests += 1
    assert requests >= len(responses)
    assert expected <= set(responses)
    assert any(url.endswith("/robots.txt") for url in responses)
    seed = [
        body
        for url, (status, body) in responses.items()
        if "Семинар в Индерском районе".encode() in body and status == "200"
    ]
    assert seed
    assert gzip.open(warc).read(4) == b"WARC"
