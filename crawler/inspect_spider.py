"""One-page spider behind ``news-archive inspect URL``: what would the crawler extract?

The page goes through the crawl's own entry points (:mod:`crawler.extract.fetched_page`,
:func:`inspect_page_result`, which ``scrapy parse --spider news URL`` shows too). Not in
``SPIDER_MODULES``: an internal spider, run by :mod:`crawler.crawl_runner` only, so
``scrapy list`` shows the news spider alone.

Imports scrapy, twisted; :mod:`crawler.archive.database`,
:mod:`crawler.extract.fetched_page`, :mod:`crawler.extract.urls`,
:mod:`crawler.site_profiles`.
"""

from __future__ import annotations

from dataclasses import asdict

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.archive.database import utc_now
from crawler.extract.fetched_page import extract_article, extract_list
from crawler.extract.urls import canonical_url
from crawler.site_profiles import selectors_for_url


def inspect_page_result(response: TextResponse) -> dict:
    """What the crawler reads from a fetched page: its type, and the article's fields
    or the list's article links and next page."""
    selectors = selectors_for_url(response.url)
    body, encoding, url = response.body, response.encoding, response.url
    kind, article = extract_article(body, encoding, url, canonical_url(url), utc_now(), selectors)
    result: dict = {"url": response.url, "status": response.status, "page_type": kind}
    if article is not None:
        result["article"] = asdict(article)
    else:
        page = extract_list(body, encoding, url, selectors)
        result["article_urls"] = page.article_urls
        result["next_url"] = page.next_url
    return result


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
        self.result = inspect_page_result(response)

    def failed(self, failure: Failure) -> None:
        if failure.check(HttpError):
            self.result = {"error": f"HTTP {failure.value.response.status}"}
        else:
            self.result = {"error": f"{failure.type.__name__}: {failure.getErrorMessage()}"}
