"""The per-item "Scraped from" record is skipped unless the crawl logs at DEBUG."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.log_formatter import ArchiveLogFormatter


@pytest.mark.parametrize(
    ("level", "logged"),
    [("DEBUG", True), ("debug", True), (10, True), ("INFO", False), (30, False)],
)
def test_scraped_items_are_logged_only_at_debug(level, logged):
    crawler = get_crawler(settings_dict={"LOG_LEVEL": level})
    formatter = ArchiveLogFormatter.from_crawler(crawler)
    response = HtmlResponse("https://example.kz/ru/news/a/", body=b"<html></html>")
    record = formatter.scraped({"title": "x"}, response, None)
    assert (record is not None) == logged
    if logged:
        assert "Scraped from" in record["msg"] % record["args"]


def test_other_records_are_untouched():
    formatter = ArchiveLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "INFO"}))
    request = Request("https://example.kz/")
    response = HtmlResponse(request.url, body=b"", request=request)
    assert formatter.crawled(request, response, None) is not None
