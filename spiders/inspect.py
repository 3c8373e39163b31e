"""One-page spider behind ``news-archive inspect URL``: what would the crawler extract?

The page goes through the crawl's own entry points (:mod:`crawler.extract.fetched_page`).

Imports scrapy, twisted; :mod:`crawler.archive.database`,
:mod:`crawler.extract.fetched_page`, :mod:`crawler.extract.urls`,
:mod:`crawler.fetch_failures`, :mod:`crawler.page_workers`, :mod:`crawler.site_profiles`.
"""

from __future__ import annotations

from dataclasses import asdict

import scrapy
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.archive.database import utc_now
from crawler.extract.fetched_page import extract_article, extract_list
from crawler.extract.urls import canonical_url
from crawler.fetch_failures import classify
from crawler.page_workers import declared_charset
from crawler.site_profiles import selectors_for_url, time_zone_for_url


class InspectSpider(scrapy.Spider):
    name = "inspect"

    def __init__(self, url: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.result: dict | None = None

    async def start(self):
        yield Request(self.url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response: Response):
        if not isinstance(response, TextResponse):
            self.result = {"error": f"not an HTML page ({response.headers.get('Content-Type')})"}
            return
        selectors = selectors_for_url(response.url)
        body, encoding, url = response.body, declared_charset(response), response.url
        zone = self.settings.get("NEWS_ARCHIVE_TIME_ZONE") or time_zone_for_url(url) or None
        kind, article = extract_article(
            body, encoding, url, canonical_url(url), utc_now(), selectors, zone
        )
        result: dict = {"url": response.url, "status": response.status, "page_type": kind}
        if article is not None:
            result["article"] = asdict(article)
        else:
            page = extract_list(body, encoding, url, selectors)
            result["article_urls"] = page.article_urls
            result["next_url"] = page.next_url
        self.result = result

    def failed(self, failure: Failure) -> None:
        self.result = {"error": classify(failure).error}
