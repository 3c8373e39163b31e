"""Deploying to a real Scrapyd and crawling through it (``pip install scrapyd
scrapyd-client``; the ``test`` extra installs both).

A Scrapyd on 127.0.0.1 with its own folder and a free port; ``scrapyd-deploy`` builds and
uploads the egg from a copy of the project; ``schedule.json`` runs ``news`` on the
fixture site into an archive; a second job on the same archive while the first runs
stops on the crawl lock and leaves the archive intact.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils

from crawler.fixture_site import FixtureSite
from tests.crawl_helpers import ROOT

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
SCRAPYD, DEPLOY = BIN / "scrapyd", BIN / "scrapyd-deploy"
if not (SCRAPYD.exists() and DEPLOY.exists()):
    pytest.skip(
        "Scrapyd is not installed: pip install scrapyd scrapyd-client (or '.[test]')",
        allow_module_level=True,
    )

PROJECT_FILES = ("crawler", "spiders", "scrapy.cfg", "pyproject.toml", "README.md")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, data: dict | list | None = None) -> dict:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    with urllib.request.urlopen(url, body, timeout=30) as answer:
        return json.loads(answer.read())


class Scrapyd:
    """A Scrapyd process of this test's own, stopped by its pid."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        for _attempt in range(5):
            self.port = free_port()
            (folder / "scrapyd.conf").write_text(
                "[scrapyd]\n"
                f"http_port = {self.port}\nbind_address = 127.0.0.1\n"
                f"eggs_dir = {folder / 'eggs'}\nlogs_dir = {folder / 'logs'}\n"
                f"dbs_dir = {folder / 'dbs'}\nitems_dir =\njobs_to_keep = 10\n"
                "max_proc = 2\npoll_interval = 0.2\n"
            )
            self.process = subprocess.Popen(
                [str(SCRAPYD)], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            if self._ready():
                return
            self.stop()  # the port was taken meanwhile: another one
        raise RuntimeError("Scrapyd did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _ready(self) -> bool:
        while self.process.poll() is None:
            try:
                return call(self.url + "daemonstatus.json")["status"] == "ok"
            except OSError:
                time.sleep(0.1)  # not listening yet: ask again
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()

    def job_state(self, job: str) -> str | None:
        jobs = call(self.url + "listjobs.json?project=news-archive")
        for state in ("pending", "running", "finished"):
            if any(j["id"] == job for j in jobs.get(state, [])):
                return state
        return None

    def wait_finished(self, job: str) -> None:
        while self.job_state(job) != "finished":
            time.sleep(0.2)  # Scrapyd polls its queue every 0.2 s; so do we

    def log(self, job: str) -> str:
        return (self.folder_logs / "news-archive" / "news" / f"{job}.log").read_text()


@pytest.fixture
def scrapyd(tmp_path):
    server = Scrapyd(tmp_path / "scrapyd")
    server.folder_logs = tmp_path / "scrapyd" / "logs"
    yield server
    server.stop()


def deploy(server: Scrapyd, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / name)
    config = (project / "scrapy.cfg").read_text()
    (project / "scrapy.cfg").write_text(
        config + f"\n[deploy:test]\nurl = {server.url}\nproject = news-archive\n"
    )
    result = subprocess.run(
        [str(DEPLOY), "test", "-p", "news-archive"], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"status": "ok"' in result.stdout, result.stdout + result.stderr


def schedule(
    server: Scrapyd, site: FixtureSite, db: Path, *settings: str, sites: Path | None = None
) -> str:
    """A crawl job: of ``site``'s lists, or of the site named ``fixture`` in ``sites``."""
    if sites is None:
        target = [("start_urls", ",".join(site.start_urls))]
    else:
        target = [("sites", str(sites)), ("site", "fixture")]
    data = [
        ("project", "news-archive"),
        ("spider", "news"),
        *target,
        ("db", str(db)),
        ("setting", "AUTOTHROTTLE_ENABLED=False"),
        ("setting", "LOG_LEVEL=INFO"),
        *(("setting", s) for s in settings),
    ]
    answer = call(server.url + "schedule.json", data)
    assert answer["status"] == "ok", answer
    return answer["jobid"]


def test_deploy_schedule_and_the_lock(scrapyd, tmp_path):
    deploy(scrapyd, tmp_path)
    db = tmp_path / "archive.db"
    with FixtureSite(layout="mixed", articles_per_lang=30) as site:
        # The first job names its site in a sites file on the Scrapyd machine; the
        # other site listed there is not crawled (nothing answers on its address).
        sites = tmp_path / "sites.toml"
        urls = ", ".join(f'"{u}"' for u in site.start_urls)
        sites.write_text(
            f'[[site]]\nname = "fixture"\nstart_urls = [{urls}]\n'
            '[[site]]\nname = "other"\nstart_urls = ["http://127.0.0.9:9/news/"]\n'
        )
        first = schedule(scrapyd, site, db, "DOWNLOAD_DELAY=0", sites=sites)
        scrapyd.wait_finished(first)
        archive = sqlite_utils.Database(db)
        assert archive["articles"].count == len(site.expected_articles())
        assert [(r["status"], r["site"]) for r in archive.query("SELECT * FROM crawls")] == [
            ("ok", "fixture")
        ]
        assert [r["site"] for r in archive.query("SELECT DISTINCT site FROM articles")] == [
            "fixture"
        ]
        assert "crawl 1 ok" in scrapyd.log(first) or "'news/status': 'ok'" in scrapyd.log(first)

        # A slow full crawl, and a second job on the same archive while it runs.
        slow = schedule(scrapyd, site, db, "DOWNLOAD_DELAY=0.05", "NEWS_ARCHIVE_FULL=True")
        while not list(archive.query("SELECT id FROM crawls WHERE status = 'running'")):
            time.sleep(0.05)  # the slow job holds the lock once its crawls row exists
        second = schedule(scrapyd, site, db, "DOWNLOAD_DELAY=0")
        scrapyd.wait_finished(second)
        assert "the crawl cannot start" in scrapyd.log(second)
        scrapyd.wait_finished(slow)
    statuses = [r["status"] for r in archive.query("SELECT status FROM crawls ORDER BY id")]
    assert statuses == ["ok", "ok"]  # the refused job wrote nothing
    assert archive["articles"].count == len(site.expected_articles())
