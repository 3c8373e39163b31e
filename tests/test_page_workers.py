"""Article pages read in worker processes: same records, no worker left behind, and a
crawl that survives a dead worker."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from crawler.fixture_site import FixtureSite
from crawler.page_workers import auto_processes, parse_processes
from crawler.worker_process import HEADER, extract, frame, serve
from tests.crawl_helpers import FAST, ROOT, stored_articles
from tests.test_crawl_e2e import assert_archive_matches

PAGES = Path(__file__).parent / "sample_data" / "pages"
WORKERS_FROM_THE_START = [
    "-s",
    "NEWS_ARCHIVE_PARSE_PROCESSES=1",
    "-s",
    "NEWS_ARCHIVE_PARSE_AFTER=0",
]


def answers(stream: bytes) -> list[tuple]:
    import pickle

    found, at = [], 0
    while at < len(stream):
        size = HEADER.unpack_from(stream, at)[0]
        found.append(pickle.loads(stream[at + HEADER.size : at + HEADER.size + size]))
        at += HEADER.size + size
    return found


def test_worker_answers_each_request_in_order():
    body = (PAGES / "article_seed_custom.html").read_bytes()
    url = "https://example.kz/ru/news/some-article/"
    article = ("article", (body, "utf-8", url, url, "2026-01-01T00:00:00Z", None))
    listing = ("list", (body, "utf-8", "https://example.kz/ru/news/", None))
    broken = ("article", (None, "utf-8", url, url, "", None))
    requests = io.BytesIO(b"".join(frame(r) for r in (article, broken, listing, article)))
    out = io.BytesIO()
    serve(requests, out)
    ready, first, error, links, again = answers(out.getvalue())
    assert ready == ("ready", os.getpid())
    assert first == ("ok", extract(*article)) == again
    assert first[1][1].title  # an article record, read from the saved page
    assert error[0] == "error" and "NoneType" in error[1]  # reported, then the next one
    assert links == ("ok", extract(*listing))


def test_worker_stops_at_a_cut_request():
    out = io.BytesIO()
    serve(io.BytesIO(frame(("x",))[:-2]), out)
    assert [a[0] for a in answers(out.getvalue())] == ["ready"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), ("2", 2), (" 1 ", 1), ("auto", auto_processes()), ("", auto_processes())],
)
def test_parse_processes_setting(value, expected):
    assert parse_processes(value) == expected


@pytest.mark.parametrize("value", ["-1", "many", "1.5"])
def test_parse_processes_rejects_nonsense(value):
    with pytest.raises(ValueError, match="NEWS_ARCHIVE_PARSE_PROCESSES"):
        parse_processes(value)


def test_auto_leaves_the_reactor_its_core():
    assert [auto_processes(n) for n in (1, 2, 3, 8)] == [0, 1, 2, 2]


def start_crawl(
    db: Path, site: FixtureSite, *extra: str, env: dict | None = None
) -> subprocess.Popen:
    args = [sys.executable, "-m", "crawler", "crawl", "--db", str(db)]
    for url in site.start_urls:
        args += ["--start-url", url]
    return subprocess.Popen(
        [*args, *FAST, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def read_in_workers(log: str) -> int:
    match = re.search(r"'news/pages_read_in_workers': (\d+)", log)
    assert match, log[-3000:]
    return int(match.group(1))


def processes_marked(mark: str) -> list[int]:
    """Live processes whose environment holds ``mark`` (the crawl's and its workers')."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.e2e
def test_workers_give_the_same_archive_and_leave_nothing_behind(tmp_path):
    mark = f"NEWS_ARCHIVE_TEST_{uuid.uuid4().hex}"
    with FixtureSite(layout="mixed") as site:
        with_workers = start_crawl(
            tmp_path / "w.db", site, *WORKERS_FROM_THE_START, env={mark: "1"}
        )
        out, err = with_workers.communicate(timeout=180)
        assert with_workers.returncode == 0, out + err[-3000:]
        assert processes_marked(mark) == []  # the workers ended with the crawl
        in_process = start_crawl(tmp_path / "p.db", site, "-s", "NEWS_ARCHIVE_PARSE_PROCESSES=0")
        out2, err2 = in_process.communicate(timeout=180)
        assert in_process.returncode == 0, out2 + err2[-3000:]
        assert_archive_matches(tmp_path / "w.db", site)
        assert_archive_matches(tmp_path / "p.db", site)
    # Every article page but those read while the worker was starting.
    assert 100 <= read_in_workers(err) <= 201  # 180 articles, 21 list pages
    assert "Reading pages in 1 worker process(es)" in err
    assert read_in_workers(err2) == 0
    drop = ("fetched_at", "first_seen", "last_seen", "crawl_id", "first_crawl_id", "last_crawl_id")
    strip = [
        {k: v for k, v in row.items() if k not in drop}
        for row in stored_articles(tmp_path / "w.db")
    ]
    assert strip == [
        {k: v for k, v in row.items() if k not in drop}
        for row in stored_articles(tmp_path / "p.db")
    ]


def worker_children(pid: int) -> list[int]:
    """The page-reading workers started by process ``pid`` (its children running
    ``crawler.worker_process``; not Scrapy's other children, such as ``uname -p``)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and b"crawler.worker_process" in command:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.e2e
def test_a_killed_worker_does_not_lose_pages(tmp_path):
    db = tmp_path / "archive.db"
    # Big enough that the crawl is still reading pages well after the kill.
    with FixtureSite(layout="mixed", articles_per_lang=500) as site:
        crawl = start_crawl(db, site, *WORKERS_FROM_THE_START)
        lines: list[str] = []
        ready = threading.Event()

        def read_log() -> None:
            for line in crawl.stderr:
                lines.append(line)
                if "Reading pages in 1 worker process(es)" in line:
                    ready.set()  # the worker said it is ready: pages go to it from now on
            ready.set()  # the log ended (the crawl is over): the assertions below say so

        reader = threading.Thread(target=read_log, daemon=True)
        reader.start()
        ready.wait(timeout=180)
        workers = worker_children(crawl.pid)
        assert workers, "no worker process was started:\n" + "".join(lines)[-3000:]
        assert crawl.poll() is None, "the crawl ended before the worker could be killed"
        os.kill(workers[0], 9)  # the crawl's own worker, by its pid
        out = crawl.stdout.read()
        crawl.wait(timeout=180)
        reader.join(timeout=60)
        err = "".join(lines)
        assert crawl.returncode == 0, out + err[-3000:]
        assert "A page-reading worker ended" in err
        assert_archive_matches(db, site)


NEVER_READY = """
import asyncio, json, logging, sys
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from twisted.internet import defer, reactor
from scrapy.http import HtmlResponse
from scrapy.utils.defer import maybe_deferred_to_future
from crawler.worker_process import extract
from crawler.page_workers import PageWorkers

logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
with open(sys.argv[1], "rb") as file:
    body = file.read()
url = "https://example.kz/ru/news/some-article/"
found = {}

async def main():
    # A "worker" that never says it is ready (stuck in its imports, say).
    workers = PageWorkers(
        1, start_after=0, ready_timeout=0.5,
        command=[sys.executable, "-c", "import time; time.sleep(60)"],
    )
    page = HtmlResponse(url=url, body=body, encoding="utf-8")
    result = await workers.extract_article(page, url, "2026-01-01T00:00:00Z", None)
    await maybe_deferred_to_future(workers.close())
    found["all_ended"] = all(w.gone for w in workers._workers) and bool(workers._workers)
    args = (body, "utf-8", url, url, "2026-01-01T00:00:00Z", None)
    found["same"] = result == extract("article", args)
    found["in_workers"] = workers.in_workers

def run():
    d = defer.Deferred.fromFuture(asyncio.ensure_future(main()))
    d.addBoth(lambda result: (print(repr(result), file=sys.stderr), reactor.stop()))

reactor.callWhenRunning(run)
reactor.run()
print(json.dumps(found))
"""


@pytest.mark.e2e
def test_a_worker_never_ready_is_given_up_and_pages_read_in_process():
    """An article page waits for a starting worker; one that is not ready in time is
    killed (the crawl can still end) and the page is read in the crawl's process."""
    page = PAGES / "article_kk.html"
    run = subprocess.run(
        [sys.executable, "-c", NEVER_READY, str(page)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found["same"] is True
    assert found["in_workers"] == 0
    assert found["all_ended"] is True  # the stuck worker was killed (it sleeps 60 s)
    assert "No page-reading worker was ready after 0.5 s" in run.stderr


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, 0),  # the polite defaults: 1 s and AutoThrottle
        ({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0.5}, 0),
        ({"AUTOTHROTTLE_ENABLED": True, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 2}, 0),
        ({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0.1}, 1),
        ({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}, 1),
        # An explicit number of workers is obeyed whatever the pace.
        ({"NEWS_ARCHIVE_PARSE_PROCESSES": "1"}, 1),
        # Sites with their own delay (the sites file) are fetched at once: 50 at 0.2 s
        # ask 250 pages a second under the polite defaults; one at 2 s does not.
        ({"DOWNLOAD_SLOTS": {f"10.0.0.{n}": {"delay": 0.2} for n in range(50)}}, 1),
        ({"DOWNLOAD_SLOTS": {"a.kz": {"delay": 2.0, "jitter": 0.0}}}, 0),
        # A host counts once, with and without www. (0.8 s, not 0.4 s).
        ({"DOWNLOAD_SLOTS": {"a.kz": {"delay": 0.8}, "www.a.kz": {"delay": 0.8}}}, 0),
        ({"DOWNLOAD_SLOTS": {"a.kz": {"delay": 0.8}, "b.kz": {"delay": 0.8}}}, 1),
        ({"DOWNLOAD_SLOTS": {"a.kz": {"delay": 1.0, "concurrency": 4}}}, 1),
    ],
)
def test_workers_only_when_the_pace_can_use_them(settings, expected, monkeypatch):
    from crawler import page_workers
    from crawler.crawl_runner import scrapy_settings

    monkeypatch.setattr(page_workers, "auto_processes", lambda cpus=None: 1)
    assert page_workers.worker_count(scrapy_settings(settings)) == expected
