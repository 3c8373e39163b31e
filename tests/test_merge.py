"""``news-archive merge``: archives of several nodes combined, idempotent, atomic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from crawler.fixture_site import FixtureSite
from tests.crawl_helpers import crawl, news_archive

pytestmark = pytest.mark.e2e

TABLES = {
    "articles": "url",
    "article_versions": "url, version",
    "view_counts": "url, seen_at",
    "url_aliases": "alias",
    "failures": "url, failed_at, kind",
    "list_walks": "start_url",
    "crawls": "started_at, pid",
    "crawl_sites": "crawl_id, site",
}


def dump(db: Path, leave_out: tuple[str, ...] = ("id", "origin")) -> dict[str, list[dict]]:
    archive = sqlite_utils.Database(db)
    found = {}
    for table, order in TABLES.items():
        rows = archive.query(f"SELECT * FROM {table} ORDER BY {order}")
        found[table] = [{k: v for k, v in row.items() if k not in leave_out} for row in rows]
    return found


def merge(out: Path, *inputs: Path):
    result = news_archive("merge", str(out), *map(str, inputs))
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def nodes(tmp_path_factory) -> dict[str, Path]:
    """Archives of one fixture site: ``ru`` and ``rest`` (two nodes sharing the lists),
    ``old`` and ``new`` (one archive before and after the site's second phase)."""
    tmp = tmp_path_factory.mktemp("nodes")
    paths = {name: tmp / f"{name}.db" for name in ("ru", "rest", "old", "new", "whole")}
    with FixtureSite(layout="mixed") as site:
        ru, *rest = site.start_urls
        for name, urls in (("ru", [ru]), ("rest", rest), ("old", site.start_urls)):
            assert crawl(paths[name], urls, "--refresh-days", "0", "--no-warc").returncode == 0
        shutil.copy(paths["old"], paths["new"])
        site.set_phase(2)
        assert crawl(paths["new"], site.start_urls, "--full", "--no-warc").returncode == 0
        assert crawl(paths["whole"], site.start_urls, "--no-warc").returncode == 0
    return paths


def test_two_nodes_make_one_archive(nodes, tmp_path):
    out = tmp_path / "all.db"
    result = merge(out, nodes["ru"], nodes["rest"])
    assert "merged 2 archives" in result.stdout
    merged = dump(out)
    ru, rest = dump(nodes["ru"]), dump(nodes["rest"])
    assert len(merged["articles"]) == len(ru["articles"]) + len(rest["articles"])
    assert {a["url"] for a in merged["articles"]} == {
        a["url"] for a in dump(nodes["old"])["articles"]
    }
    assert len(merged["crawls"]) == 2
    origins = [r["origin"] for r in sqlite_utils.Database(out).query("SELECT origin FROM crawls")]
    assert origins == ["ru.db#1", "rest.db#1"]
    # the crawl ids of the second node follow its crawl
    second = (
        sqlite_utils.Database(out)
        .execute("SELECT DISTINCT crawl_id FROM article_versions WHERE url LIKE '%/kz/%'")
        .fetchall()
    )
    assert second == [(2,)]
    # each run's site verdicts follow it, and every article keeps its site
    archive = sqlite_utils.Database(out)
    assert archive.execute("SELECT crawl_id, site, status FROM crawl_sites").fetchall() == [
        (1, "127.0.0.1", "ok"),
        (2, "127.0.0.1", "ok"),
    ]
    assert archive.execute("SELECT DISTINCT site FROM articles").fetchall() == [("127.0.0.1",)]
    hits = news_archive("search", "медиация", "--db", str(out))
    assert hits.returncode == 0 and hits.stdout


def test_the_newer_fetch_wins_and_history_is_kept_once(nodes, tmp_path):
    out = tmp_path / "all.db"
    merge(out, nodes["old"], nodes["new"])
    merged, new = dump(out), dump(nodes["new"])
    assert merged["articles"] == new["articles"]
    assert merged["article_versions"] == new["article_versions"]
    assert merged["view_counts"] == new["view_counts"]
    assert len(merged["crawls"]) == 2  # the first run is in both: carried once


def test_merging_again_or_into_itself_changes_nothing(nodes, tmp_path):
    out = tmp_path / "all.db"
    merge(out, nodes["ru"], nodes["rest"])
    first = dump(out, leave_out=())
    merge(out, out)
    assert dump(out, leave_out=()) == first
    merge(out, nodes["rest"], nodes["rest"])
    assert dump(out, leave_out=()) == first
    copy = tmp_path / "copy.db"
    shutil.copy(out, copy)
    merge(out, copy)
    assert dump(out, leave_out=()) == first


def test_a_failed_merge_leaves_out_as_it_was(nodes, tmp_path):
    out = tmp_path / "all.db"
    merge(out, nodes["ru"])
    before = dump(out, leave_out=())
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database")
    result = news_archive("merge", str(out), str(nodes["rest"]), str(bogus))
    assert result.returncode == 4
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump(out, leave_out=()) == before
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert left == ["all.db", "all.db.lock", "notes.db"]  # no temporary file left
