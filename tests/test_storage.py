"""The archive store: upserts, versions, view history, failures, crawls, bad files."""

from __future__ import annotations

import json

import pytest

from crawler.archive.database import StorageError, open_database
from crawler.archive.store import ArchiveStore
from crawler.items import Article


def article(
    url="http://x/ru/news/a/",
    title="Заголовок",
    body="Первый.\n\nВторой.",
    views=10,
    fetched_at="2026-01-01T00:00:00Z",
    **kw,
) -> Article:
    fields = dict(
        url=url,
        lang="ru",
        title=title,
        published="2022-08-24",
        published_raw="24 Августа, 2022",
        views=views,
        views_raw=str(views),
        body=body,
        category="Новости",
        image_urls=["http://x/upload/a.jpg"],
        fetched_at=fetched_at,
    )
    fields.update(kw)
    return Article(**fields)


@pytest.fixture
def store(tmp_path):
    s = ArchiveStore(tmp_path / "a.db")
    yield s
    s.close()


def test_first_save_stores_row_version_and_views(store):
    counts = store.save_articles([article()], crawl_id=1)
    assert (counts.new, counts.changed, counts.unchanged) == (1, 0, 0)
    row = store.db["articles"].get("http://x/ru/news/a/")
    assert row["version"] == 1
    assert row["first_seen"] == row["last_seen"] == "2026-01-01T00:00:00Z"
    assert json.loads(row["image_urls"]) == ["http://x/upload/a.jpg"]
    assert store.db["article_versions"].count == 1
    assert [r["views"] for r in store.db["view_counts"].rows] == [10]


def test_same_article_twice_adds_nothing(store):
    store.save_articles([article()])
    counts = store.save_articles([article(fetched_at="2026-01-02T00:00:00Z")])
    assert (counts.new, counts.changed, counts.unchanged) == (0, 0, 1)
    assert store.db["articles"].count == 1
    assert store.db["article_versions"].count == 1
    assert store.db["view_counts"].count == 1
    row = store.db["articles"].get("http://x/ru/news/a/")
    assert (row["first_seen"], row["last_seen"]) == ("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")


def test_edit_keeps_old_text_as_version(store):
    store.save_articles([article()])
    counts = store.save_articles(
        [article(body="Исправлено.", views=25, fetched_at="2026-01-03T00:00:00Z")]
    )
    assert counts.changed == 1
    versions = list(store.db.query("select version, body from article_versions order by version"))
    assert versions == [
        {"version": 1, "body": "Первый.\n\nВторой."},
        {"version": 2, "body": "Исправлено."},
    ]
    assert store.db["articles"].get("http://x/ru/news/a/")["version"] == 2
    assert [
        r["views"] for r in store.db.query("select views from view_counts order by seen_at")
    ] == [10, 25]


def test_duplicate_urls_in_one_batch_store_once(store):
    counts = store.save_articles([article(), article(views=11)])
    assert counts.new == 1
    assert store.db["articles"].get("http://x/ru/news/a/")["views"] == 11


def test_null_views_are_kept_null_and_not_in_history(store):
    store.save_articles([article(views=None, views_raw=None)])
    assert store.db["articles"].get("http://x/ru/news/a/")["views"] is None
    assert store.db["view_counts"].count == 0


def test_failures_are_retried_until_resolved(store):
    store.record_failures(
        [
            {"url": "http://x/ru/news/a/", "status": 503, "error": "HTTP 503", "failed_at": "t"},
            {"url": "http://x/ru/news/gone/", "status": 404, "error": "HTTP 404", "failed_at": "t"},
            {
                "url": "http://x/ru/news/slow/",
                "kind": "network",
                "status": None,
                "error": "TimeoutError",
                "failed_at": "t",
            },
        ],
        crawl_id=1,
    )
    assert store.retryable_failures() == ["http://x/ru/news/a/", "http://x/ru/news/slow/"]
    store.save_articles([article()], crawl_id=2)
    assert store.retryable_failures() == ["http://x/ru/news/slow/"]
    resolved = store.db["failures"].get(1)
    assert resolved["resolved_crawl_id"] == 2 and resolved["resolved_at"]


def test_crawl_rows(store):
    crawl_id = store.start_crawl({"full": True}, pid=123)
    assert store.mark_interrupted_crawls() == 1
    store.finish_crawl(crawl_id, "ok", 0, {"articles_new": 3, "not_a_column": 1})
    row = store.db["crawls"].get(crawl_id)
    assert (row["status"], row["exit_code"], row["articles_new"]) == ("ok", 0, 3)
    assert json.loads(row["arguments"]) == {"full": True}


def test_wal_mode(store):
    assert store.db.journal_mode == "wal"


def test_corrupt_file_is_a_storage_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="cannot open database"):
        ArchiveStore(bad)


def test_missing_file_is_not_created_when_reading(tmp_path):
    with pytest.raises(StorageError, match="database not found"):
        open_database(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_missing_directory(tmp_path):
    with pytest.raises(StorageError, match="directory does not exist"):
        ArchiveStore(tmp_path / "nope" / "a.db")


def test_known_urls_cover_aliases_and_final_failures(store):
    store.save_articles([article()])
    store.record_aliases({"http://x/ru/news/index.php?ELEMENT_ID=1": "http://x/ru/news/a/"})
    store.record_failures(
        [
            {"url": "http://x/ru/news/gone/", "status": 404, "error": "HTTP 404", "failed_at": "t"},
            {"url": "http://x/ru/news/busy/", "status": 503, "error": "HTTP 503", "failed_at": "t"},
            {
                "url": "http://x/ru/news/rss/",
                "kind": "not_article",
                "status": 200,
                "error": "not an article page",
                "failed_at": "t",
            },
            {
                "url": "http://x/ru/news/index.php?ELEMENT_ID=2",
                "kind": "robots",
                "status": None,
                "error": "forbidden by robots.txt",
                "failed_at": "t",
            },
        ],
        crawl_id=1,
    )
    assert store.known_urls() == {
        "http://x/ru/news/a/",
        "http://x/ru/news/index.php?ELEMENT_ID=1",
        "http://x/ru/news/gone/",
        "http://x/ru/news/index.php?ELEMENT_ID=2",
    }
    # An odd answer (a page that is no article) is retried by the next runs ...
    assert "http://x/ru/news/rss/" in store.retryable_failures()


def _odd(url: str, kind: str = "odd_answer") -> dict:
    return {"url": url, "kind": kind, "status": 200, "error": "empty body", "failed_at": "t"}


def test_an_odd_answer_is_retried_by_a_bounded_number_of_runs(store):
    """Before: an empty or binary 200 was a permanent skip (retry=0) at once."""
    url = "http://x/ru/news/empty/"
    for crawl_id in (1, 2):
        store.record_failures([_odd(url)], crawl_id=crawl_id)
        assert url in store.retryable_failures()
        assert url not in store.known_urls()
    store.record_failures([_odd(url, "not_article")], crawl_id=3)
    assert url not in store.retryable_failures()
    assert url in store.known_urls()  # three runs answered oddly: --full only


def test_a_failed_url_that_now_redirects_to_an_article_is_resolved(store):
    """Before: only failures of stored URLs were resolved; an alias stayed "retry"."""
    old = "http://x/ru/news/index.php?ELEMENT_ID=1"
    store.record_failures(
        [{"url": old, "status": 503, "error": "HTTP 503", "failed_at": "t"}], crawl_id=1
    )
    assert store.retryable_failures() == [old]
    store.save_batch([article()], [], {old: "http://x/ru/news/a/"}, crawl_id=2)
    assert store.retryable_failures() == []
    assert store.db["failures"].get(1)["resolved_crawl_id"] == 2


def test_lastmod_from_a_sitemap_is_kept_when_a_list_leads_to_the_next_fetch(store):
    store.save_articles([article(lastmod="2024-12-04T16:30:00+05:00")])
    store.save_articles([article(fetched_at="2026-01-02T00:00:00Z")])
    assert store.db["articles"].get("http://x/ru/news/a/")["lastmod"] == "2024-12-04T16:30:00+05:00"


def test_an_archive_from_before_field_sources_is_migrated(tmp_path):
    """An archive without the ``*_source`` columns gets them (NULL in its rows) and
    keeps its articles."""
    import sqlite_utils

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["articles"].insert(
        {"url": "http://x/ru/news/old/", "title": "Старая", "first_seen": "t", "last_seen": "t"},
        pk="url",
    )
    old.close()
    store = ArchiveStore(path)
    columns = store.db["articles"].columns_dict
    assert {"published_source", "views_source", "category_source"} <= set(columns)
    row = store.db["articles"].get("http://x/ru/news/old/")
    assert (row["title"], row["published_source"]) == ("Старая", None)
    store.save_articles([article(published_source="page")])
    assert store.db["articles"].get("http://x/ru/news/a/")["published_source"] == "page"
    store.close()


def test_list_values_survive_a_fetch_without_the_list(tmp_path):
    store = ArchiveStore(tmp_path / "a.db")
    listed = article(published_source="list", views_source="list", category="Общество")
    listed.category_source = "list"
    store.save_articles([listed])
    bare = article(
        published=None, published_raw=None, views=None, fetched_at="2026-01-02T00:00:00Z"
    )
    store.save_articles([bare])
    row = store.db["articles"].get(listed.url)
    assert (row["published"], row["published_source"]) == ("2022-08-24", "list")
    assert (row["views"], row["category"]) == (10, "Общество")
    # a value the page itself shows replaces the list's
    store.save_articles([article(published="2022-08-25", published_source="page")])
    assert store.db["articles"].get(listed.url)["published"] == "2022-08-25"
    store.close()
