"""End to end: the hostile cases of the fixture site (:mod:`crawler.fixture_site.hostile`),
each crawled by the real ``news-archive crawl``: the run is bounded, polite, and every
dropped link leaves a failure row with its real reason."""

from __future__ import annotations

import resource
import sqlite3

import pytest

from crawler.fixture_site import FixtureSite
from tests.crawl_helpers import crawl

#: A real crawl, server or subprocess: deselect with -m "not e2e".
pytestmark = pytest.mark.e2e

PEAK_RSS_LIMIT_KB = 500 * 1024


@pytest.fixture(scope="module")
def site():
    with FixtureSite(layout="default", articles_per_lang=12) as running:
        yield running


def rows(db, sql: str, *args) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def failures(db) -> dict[str, dict]:
    """``last path segment -> failure row``."""
    found = rows(db, "SELECT * FROM failures ORDER BY id")
    return {r["url"].rstrip("/").rsplit("/", 1)[-1][:20]: r for r in found}


def titles(db) -> set[str]:
    return {r["title"] for r in rows(db, "SELECT title FROM articles")}


def last_crawl(db) -> dict:
    return rows(db, "SELECT * FROM crawls ORDER BY id DESC LIMIT 1")[0]


def test_a_429_holds_the_whole_host_back(tmp_path, site):
    """Before: only the refused request slept; the host's other pages went on at
    full pace."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("busy")], "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    assert result.returncode == 0, result.stderr[-3000:]
    log = [e for e in site.hostile_log if "/hostile/busy/" in e[2]]
    refused = next(t for t, _, _, status in log if status == 429)
    after = [t - refused for t, _, _, _ in log if t > refused]
    assert after, "nothing was fetched after the 429"
    assert min(after) >= 2.0  # Retry-After: 2, for every page of the host
    assert len(titles(db)) == 3


def test_a_host_that_keeps_refusing_ends_the_run_unhealthy(tmp_path, site):
    db = tmp_path / "a.db"
    result = crawl(
        db,
        [site.hostile_url("refusing")],
        *("-s", "NEWS_ARCHIVE_MAX_REFUSALS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"),
    )
    assert result.returncode == 5, result.stderr[-3000:]
    assert "refused 4 requests in a row" in result.stdout
    row = last_crawl(db)
    assert row["status"] == "unhealthy"
    assert "refused 4 requests in a row (HTTP 429)" in row["host_refused"]


@pytest.mark.parametrize("case", ["bomb", "big"])
def test_an_oversize_answer_is_refused_in_bounded_memory(tmp_path, site, case):
    """Before: Scrapy's 1 GiB cap (a 972 KB bomb took 3.9 GB) and the drop was
    reported as "forbidden by robots.txt"."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url(case)])
    found = failures(db)
    assert found["a1"]["kind"] == "too_large", found
    assert found["a1"]["retry"] == 0
    assert "robots" not in found["a1"]["error"]
    assert not any("sitemap" in path for _, path, _ in site.request_log)  # none started
    assert len(titles(db)) == 2
    assert result.returncode == 0, result.stderr[-3000:]
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < PEAK_RSS_LIMIT_KB


def test_a_slow_body_is_given_up_within_the_timeout(tmp_path, site):
    db = tmp_path / "a.db"
    result = crawl(
        db, [site.hostile_url("slow")], "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1"
    )
    found = failures(db)
    assert found["a1"]["kind"] == "network"
    assert found["a1"]["retry"] == 1
    assert "timed out" in found["a1"]["error"].lower() or "timeout" in found["a1"]["error"].lower()
    assert len(titles(db)) == 2
    assert result.returncode == 0, result.stderr[-3000:]


def test_an_endless_pager_stops_at_the_bound_unhealthy(tmp_path, site):
    """Before: 15,583 list pages in 85 s and no end."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("endless")], "-s", "NEWS_ARCHIVE_MAX_LIST_PAGES=5")
    assert result.returncode == 5, result.stderr[-3000:]
    assert "after 5 list pages" in result.stdout
    row = last_crawl(db)
    assert row["list_pages"] == 5
    assert "after 5 list pages" in row["list_bound"]
    assert rows(db, "SELECT * FROM list_walks") == []  # not walked to its end


def test_depth_limit_is_no_silent_ok(tmp_path, site):
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("endless")], "-s", "DEPTH_LIMIT=3")
    assert result.returncode == 5, result.stderr[-3000:]
    assert "after 3 list pages" in last_crawl(db)["list_bound"]


def test_a_pager_that_repeats_itself_stops_unhealthy(tmp_path, site):
    """Before: the same 10 articles on every page, and the walk never ended."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("same")])
    assert result.returncode == 5, result.stderr[-3000:]
    assert "1 list walks stopped on a page that repeats" in result.stdout
    row = last_crawl(db)
    assert (row["list_pages"], row["list_repeats"]) == (2, 1)
    assert len(titles(db)) == 3
    assert rows(db, "SELECT * FROM list_walks") == []


def test_odd_200_answers_are_retried_and_reported(tmp_path, site):
    """Before: recorded not_article with retry=0 (skipped for good), exit 0."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("odd")])
    assert result.returncode == 5, result.stderr[-3000:]
    found = failures(db)
    assert (found["a1"]["kind"], found["a1"]["error"], found["a1"]["retry"]) == (
        "odd_answer",
        "empty body",
        1,
    )
    assert found["a2"]["retry"] == 1
    assert "2 article links answered with no article" in result.stdout
    assert last_crawl(db)["odd_answers"] == 2
    # The next run fetches them again.
    crawl(db, [site.hostile_url("odd")])
    again = rows(db, "SELECT url FROM failures WHERE crawl_id = 2")
    assert len(again) == 2


def test_a_redirect_to_another_host_is_not_followed(tmp_path, site):
    """Before: followed (the other host's robots.txt and page fetched), then dropped
    without a failure row."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("offhost")])
    assert result.returncode == 0, result.stderr[-3000:]
    hosts = {host.split(":")[0] for _, host, path, _ in site.hostile_log if "offhost" in path}
    assert hosts == {"127.0.0.1"}
    found = failures(db)
    assert found["a1"]["kind"] == "off_host"
    assert "localhost" in found["a1"]["error"]
    assert found["a1"]["url"].endswith("/hostile/offhost/a1/")


def test_a_redirect_loop_is_named(tmp_path, site):
    db = tmp_path / "a.db"
    crawl(db, [site.hostile_url("loop")])
    found = failures(db)
    assert found["a1"]["kind"] == "redirects"
    assert "robots" not in found["a1"]["error"]


def test_a_redirect_out_of_the_section_is_recorded_under_the_linked_url(tmp_path, site):
    """Before: no row (out of the section), or a 404 recorded under the target."""
    db = tmp_path / "a.db"
    crawl(db, [site.hostile_url("offsection")])
    found = rows(db, "SELECT * FROM failures")
    assert len(found) == 1
    assert found[0]["url"].endswith("/hostile/offsection/a1/")
    assert "/hostile/gone/a1/" in found[0]["error"]


def test_an_over_long_url_leaves_a_failure_row(tmp_path, site):
    db = tmp_path / "a.db"
    crawl(db, [site.hostile_url("longurl")])
    found = rows(db, "SELECT * FROM failures")
    assert [(r["kind"], len(r["url"]) > 2083) for r in found] == [("url_too_long", True)]
    assert last_crawl(db)["links_dropped"] == 1


def test_a_header_charset_that_contradicts_the_bytes(tmp_path, site):
    """Before: mojibake or U+FFFD stored with a NULL date, exit 0."""
    db = tmp_path / "a.db"
    result = crawl(db, [site.hostile_url("charset")])
    assert result.returncode == 0, result.stderr[-3000:]
    stored = rows(db, "SELECT title, published, body FROM articles ORDER BY url")
    assert [r["title"] for r in stored] == [
        "Статья charset a1",
        "Статья charset a2",
        "Статья charset a3",
    ]
    assert all(r["published"] == "2022-08-24" for r in stored)
    assert not any("\ufffd" in r["body"] for r in stored)


def test_a_crawl_opens_no_listening_socket_and_leaves_no_token_files(tmp_path, site):
    """Scrapy 2.19 opens a Telnet console and a remote-control HTTP server (writing
    token files under ~/.local/state/scrapy/) on every crawl."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_STATE_HOME": str(home / ".local" / "state")}
    result = crawl(tmp_path / "a.db", [site.hostile_url("charset")], env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (home / ".local" / "state" / "scrapy").exists()
    assert "Telnet console listening" not in result.stderr
    assert "emote" not in result.stderr  # no "Remote control ... listening" line
