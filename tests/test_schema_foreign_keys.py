"""Foreign keys declared in the schema, and an older archive migrated to them."""

from __future__ import annotations

import sqlite_utils

from crawler.archive.schema import FOREIGN_KEYS, missing_foreign_keys
from crawler.archive.store import ArchiveStore
from tests.conftest import SAMPLE_ARTICLES


def declared(db: sqlite_utils.Database, table: str) -> set[tuple[str, str, str]]:
    return {(fk.column, fk.other_table, fk.other_column) for fk in db[table].foreign_keys}


def test_new_archive_declares_every_foreign_key(archive_path):
    db = sqlite_utils.Database(archive_path)
    assert declared(db, "view_counts") == {("url", "articles", "url"), ("crawl_id", "crawls", "id")}
    assert ("url", "articles", "url") in declared(db, "article_versions")
    assert ("crawl_id", "crawls", "id") in declared(db, "failures")
    assert missing_foreign_keys(db) == {}


def test_archive_without_foreign_keys_is_migrated_keeping_rows_indexes_and_search(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    ArchiveStore(path).close()  # the current schema...
    for table in FOREIGN_KEYS:  # ...made old: the same tables without foreign keys
        db[table].transform(drop_foreign_keys=[c for c, _, _ in FOREIGN_KEYS[table]])
    assert set(missing_foreign_keys(db)) == set(FOREIGN_KEYS)
    store = ArchiveStore(path)
    store.save_articles(SAMPLE_ARTICLES)
    store.close()
    db["failures"].insert({"url": "https://x/", "crawl_id": 1, "page": "article"})
    rows = {t: db[t].count for t in FOREIGN_KEYS}
    for table in FOREIGN_KEYS:
        db[table].transform(drop_foreign_keys=[c for c, _, _ in FOREIGN_KEYS[table]])
    assert missing_foreign_keys(db)

    ArchiveStore(path).close()  # opening it for a crawl migrates it

    db = sqlite_utils.Database(path)
    assert missing_foreign_keys(db) == {}
    for table, keys in FOREIGN_KEYS.items():
        assert declared(db, table) == set(keys), table
    assert {t: db[t].count for t in FOREIGN_KEYS} == rows
    assert db["view_counts"].count == 2  # the two sample articles with a view count
    assert ["url"] in [i.columns for i in db["failures"].indexes]
    hits = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'медиац*'")
    assert hits.fetchone()[0] == 2
