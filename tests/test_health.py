"""Health rules of a finished crawl."""

from __future__ import annotations

import pytest

from crawler.health import EXIT_ABORTED, EXIT_DATABASE, EXIT_OK, EXIT_UNHEALTHY, assess

GOOD = {
    "list_pages": 3,
    "article_links": 30,
    "article_pages": 30,
    "article_links_new": 30,
    "articles_new": 30,
    "with_title": 30,
    "with_published": 30,
    "with_body": 30,
}


def test_good_run_is_ok():
    assert assess(GOOD).exit_code == EXIT_OK


def test_unchanged_site_is_ok():
    figures = {"list_pages": 3, "article_links": 30}
    assert assess(figures).exit_code == EXIT_OK


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"list_pages": 0}, "no list page could be fetched"),
        (
            {"list_pages": 1, "article_links": 0, "article_links_new": 0, "articles_new": 0},
            "no article link found on 1 list page (is the start URL a news list?)",
        ),
        (
            {"article_links": 0, "article_links_new": 0, "articles_new": 0},
            "no article link found on 3 list pages (is the start URL a news list?)",
        ),
        ({"list_failures": 1}, "1 list page could not be fetched"),
        ({"list_failures": 2}, "2 list pages could not be fetched"),
        (
            {"list_failures": 1, "first_list_failure": "http://x/ru/news/?PAGEN_1=2: HTTP 503"},
            "1 list page could not be fetched (first: http://x/ru/news/?PAGEN_1=2: HTTP 503)",
        ),
        (
            {"list_pages": 0, "list_failures": 1, "first_list_failure": "http://x/: DNS"},
            "no list page could be fetched (first: http://x/: DNS)",
        ),
        (
            {"articles_new": 0, "with_title": 0, "with_published": 0, "with_body": 0},
            "list pages linked 30 new articles but none was stored",
        ),
        ({"articles_failed": 10}, "10 of 40 article fetches failed"),
        (
            {"with_published": 3},
            "only 3 of 30 articles have a date on the article page or beside its link on the list",
        ),
        ({"with_body": 0}, "only 0 of 30 articles have a body"),
    ],
)
def test_unhealthy(change, reason):
    verdict = assess({**GOOD, **change})
    assert verdict.exit_code == EXIT_UNHEALTHY
    assert reason in verdict.reasons


def test_aborted_and_storage_error():
    assert assess(GOOD, "shutdown").exit_code == EXIT_ABORTED
    assert assess({**GOOD, "storage_errors": 1}).exit_code == EXIT_DATABASE


def test_captures_that_stopped_make_the_run_unhealthy():
    verdict = assess({**GOOD, "capture_error": "[Errno 28] No space left on device"})
    assert verdict.exit_code == EXIT_UNHEALTHY
    assert verdict.reasons == ["raw captures stopped: [Errno 28] No space left on device"]
