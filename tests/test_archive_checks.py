"""The archive file itself: damage, someone else's database, a misshapen schema —
found before the first request, refused with one line (exit status 4)."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.archive.database import StorageError
from crawler.archive.schema import ForeignDatabase
from crawler.archive.store import ArchiveStore
from tests.crawl_helpers import news_archive


def test_someone_elses_database_is_refused_untouched(tmp_path):
    """Before: tables were added and the file switched to WAL silently."""
    path = tmp_path / "budget.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.commit()
    conn.close()
    with pytest.raises(ForeignDatabase, match="--adopt"):
        ArchiveStore(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"invoices"}
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    ArchiveStore(path, adopt=True).close()  # asked for: adopted
    assert "articles" in {
        r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")
    }


def test_a_table_without_its_key_is_refused(tmp_path):
    path = tmp_path / "archive.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (url TEXT, title TEXT)")  # no primary key
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="table articles .* not an archive table"):
        ArchiveStore(path)


def test_text_in_version_is_refused_before_the_crawl(archive_path):
    """Before: a TypeError traceback after pages were fetched."""
    conn = sqlite3.connect(archive_path)
    conn.execute("UPDATE articles SET version = 'two' WHERE rowid = 1")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="version that is not a number"):
        ArchiveStore(archive_path)


def test_a_missing_column_is_added(archive_path):
    """An older archive (a column added since) is migrated, not failed mid-crawl."""
    conn = sqlite3.connect(archive_path)
    conn.execute("ALTER TABLE crawls DROP COLUMN summary")
    conn.execute("ALTER TABLE articles DROP COLUMN lastmod")
    conn.commit()
    conn.close()
    store = ArchiveStore(archive_path)
    assert "summary" in store.db["crawls"].columns_dict
    assert "lastmod" in store.db["articles"].columns_dict
    store.close()


def overwrite_page_of(path, table: str) -> None:
    """Overwrite the root page of ``table`` (index or table b-tree) with garbage."""
    conn = sqlite3.connect(path)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xa5" * size)


@pytest.mark.parametrize("table", ["article_versions", "articles"])
def test_damage_is_found_and_named(archive_path, table):
    """Before: damaged article_versions went unnoticed (exit 0, writes went on); a
    damaged articles root page ended in a DatabaseError traceback."""
    overwrite_page_of(archive_path, table)
    with pytest.raises(StorageError, match=r"damaged .*\.recover"):
        ArchiveStore(archive_path, verify=True)


@pytest.mark.e2e
def test_a_crawl_on_a_damaged_archive_exits_4_before_fetching(archive_path):
    overwrite_page_of(archive_path, "article_versions")
    result = news_archive(
        "crawl", "--db", str(archive_path), "--start-url", "http://127.0.0.1:9/ru/news/"
    )
    assert result.returncode == 4, result.stderr[-2000:]
    assert "damaged" in result.stderr and ".recover" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
