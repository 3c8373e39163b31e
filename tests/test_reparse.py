"""Raw captures by default, and re-extraction from them with the site stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.captures import index_captures
from crawler.extract.overrides import Selectors
from crawler.fixture_site import FixtureSite
from crawler.reparse import reparse
from crawler.warc import CaptureFiles, capture_dir
from tests.crawl_helpers import ROOT, crawl, news_archive

#: A rule change every fixture page feels: the title from ``<title>`` (site name kept).
TITLE_TAG = Selectors(title="//title/text()")


def crawled_archive(tmp_path: Path, per_lang: int = 60, *extra: str) -> tuple[Path, int]:
    """A crawl of the fixture site with default options; the site is stopped after."""
    db = tmp_path / "archive.db"
    with FixtureSite(layout="mixed", articles_per_lang=per_lang) as site:
        result = crawl(db, site.start_urls, *extra)
        assert result.returncode == 0, result.stderr[-3000:]
    articles = sqlite_utils.Database(db)["articles"].count
    return db, articles


def table(db: Path, sql: str) -> list[dict]:
    return list(sqlite_utils.Database(db).query(sql))


@pytest.mark.e2e
def test_a_crawl_keeps_its_captures_beside_the_archive(tmp_path):
    db, articles = crawled_archive(tmp_path)
    files = sorted(capture_dir(db).glob("*.warc.gz"))
    assert len(files) == 1
    assert files[0].name.startswith("news-archive-000001-")
    assert files[0].name.endswith("-00000.warc.gz")
    crawl_row = table(db, "SELECT kind, warc_files FROM crawls")[0]
    assert crawl_row["kind"] == "crawl"
    assert json.loads(crawl_row["warc_files"]) == [str(files[0])]
    index = index_captures(files)
    assert index.unreadable == []
    assert len(index.newest) >= articles  # articles, list pages
    check = subprocess.run(
        [str(Path(sys.executable).with_name("warcio")), "check", str(files[0])],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.e2e
def test_no_warc_keeps_none(tmp_path):
    db, _ = crawled_archive(tmp_path, 20, "--no-warc")
    assert not capture_dir(db).exists()
    assert table(db, "SELECT warc_files FROM crawls")[0]["warc_files"] == "[]"


@pytest.mark.e2e
def test_reparse_with_a_new_rule_dry_run_then_for_real_then_again(tmp_path):
    db, articles = crawled_archive(tmp_path)
    before = table(db, "SELECT url, title, version FROM articles ORDER BY url")

    dry = reparse(db, selectors=TITLE_TAG, dry_run=True)
    assert dry.changed == articles and dry.fields["title"].count == articles
    assert len(dry.fields["title"].examples) == 3
    assert table(db, "SELECT url, title, version FROM articles ORDER BY url") == before
    assert table(db, "SELECT count(*) AS n FROM crawls")[0]["n"] == 1  # nothing written

    done = reparse(db, selectors=TITLE_TAG)
    after = table(db, "SELECT url, title, version FROM articles ORDER BY url")
    assert done.changed == articles
    assert all(a["version"] == b["version"] + 1 for a, b in zip(after, before, strict=True))
    assert all(a["title"] != b["title"] for a, b in zip(after, before, strict=True))
    kinds = table(db, "SELECT kind, status, articles_changed FROM crawls ORDER BY id")
    assert kinds[-1] == {"kind": "reparse", "status": "ok", "articles_changed": articles}
    old_titles = table(
        db, "SELECT count(*) AS n FROM article_versions WHERE version = 1 AND title IS NOT NULL"
    )
    assert old_titles[0]["n"] == articles  # the first text is kept

    again = reparse(db, selectors=TITLE_TAG)
    assert (again.changed, again.new, again.unchanged) == (0, 0, articles)
    assert "nothing to change" in "\n".join(again.lines(dry_run=False))
    assert table(db, "SELECT url, title, version FROM articles ORDER BY url") == after


@pytest.mark.e2e
def test_reparse_command_without_the_site(tmp_path):
    db, articles = crawled_archive(tmp_path, 20)
    result = news_archive("reparse", "--db", str(db), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"{articles} unchanged" in result.stdout
    assert "nothing to change" in result.stdout
    result = news_archive("reparse", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert table(db, "SELECT kind FROM crawls ORDER BY id")[-1]["kind"] == "reparse"


@pytest.mark.e2e
def test_a_killed_reparse_is_completed_by_the_next(tmp_path):
    db, articles = crawled_archive(tmp_path, 300)  # 900 articles: several batches
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from crawler.extract.overrides import Selectors\n"
        "from crawler.reparse import reparse\n"
        "reparse(Path(sys.argv[1]), selectors=Selectors(title='//title/text()'), processes=1)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(db)], cwd=ROOT, start_new_session=True
    )
    try:
        database = sqlite_utils.Database(db)
        while process.poll() is None:  # until the first batch is committed
            if database.execute(
                "SELECT count(*) FROM article_versions WHERE version = 2"
            ).fetchone()[0]:
                break
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    partial = database.execute(
        "SELECT count(*) FROM article_versions WHERE version = 2"
    ).fetchone()[0]
    assert 0 < partial < articles
    report = reparse(db, selectors=TITLE_TAG)
    assert report.changed == articles - partial
    versions = table(db, "SELECT version, count(*) AS n FROM article_versions GROUP BY version")
    assert versions == [{"version": 1, "n": articles}, {"version": 2, "n": articles}]


def test_rotation_and_a_truncated_capture(tmp_path):
    files = CaptureFiles(tmp_path / "c", crawl_id=7, started="20260101T000000Z", max_bytes=2000)
    for n in range(6):
        files.write_exchange(
            url=f"http://site.kz/ru/news/{n}/",
            method="GET",
            request_headers=[],
            status=200,
            reason="OK",
            response_headers=[("Content-Type", "text/html; charset=utf-8")],
            body=("<html><body>" + "текст " * 200 + "</body></html>").encode(),
        )
    files.close()
    assert len(files.paths) > 1
    assert [p.name for p in files.paths][:2] == [
        "news-archive-000007-20260101T000000Z-00000.warc.gz",
        "news-archive-000007-20260101T000000Z-00001.warc.gz",
    ]
    whole = index_captures(files.paths)
    assert len(whole.newest) == 6 and whole.unreadable == []
    last = files.paths[-1]
    broken = tmp_path / "broken.warc.gz"
    shutil.copy(last, broken)
    with open(broken, "r+b") as stream:
        stream.truncate(broken.stat().st_size - 40)
    partial = index_captures([*files.paths[:-1], broken])
    assert len(partial.unreadable) == 1
    assert len(partial.newest) >= 5 - 1


@pytest.mark.e2e
def test_images_are_captured_with_their_articles(tmp_path):
    db, articles = crawled_archive(tmp_path, 12, "--images")
    images = {
        url
        for (value,) in sqlite_utils.Database(db).execute("SELECT image_urls FROM articles")
        for url in json.loads(value)
    }
    assert images
    index = index_captures(sorted(capture_dir(db).glob("*.warc.gz")))
    captured = set()
    from warcio.archiveiterator import ArchiveIterator

    for path in sorted(capture_dir(db).glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response" and record.http_headers.get_statuscode() == "200":
                    if record.http_headers.get_header("Content-Type", "").startswith("image/"):
                        captured.add(record.rec_headers.get_header("WARC-Target-URI"))
    assert images <= captured
    assert index.unreadable == []
    files = sorted(capture_dir(db).glob("*.warc.gz"))
    check = subprocess.run(
        [str(Path(sys.executable).with_name("warcio")), "check", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_capture_error_stops_the_captures_not_the_crawl(tmp_path):
    """The writer thread keeps its first error (a full disk, say) for the crawl to
    report; later exchanges are dropped, the files are still closed."""
    from crawler.warc import BackgroundWriter

    class Full:
        path = tmp_path / "x.warc.gz"
        closed = False

        def write_exchange(self, **exchange):
            raise OSError(28, "No space left on device")

        def close(self):
            Full.closed = True

    writer = BackgroundWriter(Full())
    writer.write_exchange(url="http://site.kz/")
    writer.close()
    assert isinstance(writer.error, OSError) and Full.closed
    writer.write_exchange(url="http://site.kz/again")  # dropped, no exception
