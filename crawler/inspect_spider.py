"""One-page spider behind ``news-archive inspect URL``: what would the crawler extract?

The page goes through the crawl's own entry points (:mod:`crawler.extract.fetched_page`,
:func:`inspect_page_result`, which ``scrapy parse --spider news URL`` shows too). For a
list page, each article link comes with what its list item shows (date, views, rubric)
and whether robots.txt lets the crawler follow it (``robots``: ``allowed`` or
``forbidden``; ``next_url_robots`` for the next page). Not in ``SPIDER_MODULES``: an
internal spider, run by :mod:`crawler.crawl_runner` only, so ``scrapy list`` shows the
news spider alone.

Imports scrapy, twisted, protego; :mod:`crawler.archive.database`,
:mod:`crawler.extract.fetched_page`, :mod:`crawler.extract.urls`,
:mod:`crawler.fetch_failures`, :mod:`crawler.items`, :mod:`crawler.page_workers`,
:mod:`crawler.site_profiles`.
"""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlsplit

import scrapy
from protego import Protego
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.archive.database import utc_now
from crawler.extract.fetched_page import extract_article, extract_list
from crawler.extract.urls import canonical_url
from crawler.fetch_failures import classify
from crawler.items import ListedFields
from crawler.page_workers import declared_charset
from crawler.site_profiles import load_sites


def _shown(fields: ListedFields) -> dict:
    """What a list item shows beside its link (the other items' titles left out)."""
    return {"date_raw": fields.date_raw, "views_raw": fields.views_raw, "category": fields.category}


def inspect_page_result(response: TextResponse, time_zone: str | None = None) -> dict:
    """What the crawler reads from a fetched page: its type, and the article's fields
    or the list's article links (with what each item shows) and next page."""
    sites = load_sites()
    body, encoding, url = response.body, declared_charset(response), response.url
    selectors = sites.selectors_for_url(url)
    zone = time_zone or sites.time_zone_for_url(url) or None
    kind, article = extract_article(
        body, encoding, url, canonical_url(url), utc_now(), selectors, time_zone=zone
    )
    result: dict = {"url": response.url, "status": response.status, "page_type": kind}
    if article is not None:
        article.site = sites.name_for_url(url)
        result["article"] = asdict(article)
        return result
    page = extract_list(body, encoding, url, selectors)
    result["article_urls"] = page.article_urls
    result["next_url"] = page.next_url
    result["links"] = [
        {"url": link, **_shown(page.listed.get(link) or ListedFields())}
        for link in page.article_urls
    ]
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
        zone = self.settings.get("NEWS_ARCHIVE_TIME_ZONE") or None
        self.result = inspect_page_result(response, zone)
        if "links" not in self.result:
            return
        # Which of these links may the crawler follow? robots.txt says.
        parts = urlsplit(response.url)
        yield Request(
            f"{parts.scheme}://{parts.netloc}/robots.txt",
            callback=self.parse_robots,
            errback=self.robots_unknown,
            dont_filter=True,
        )

    def parse_robots(self, response: Response) -> None:
        """Mark the list's links (and next page) that robots.txt forbids."""
        if response.status != 200:
            return self.robots_unknown(None)
        rules = Protego.parse(response.text if isinstance(response, TextResponse) else "")
        agent = self.settings.get("USER_AGENT") or "*"
        for link in self.result["links"]:
            link["robots"] = "allowed" if rules.can_fetch(link["url"], agent) else "forbidden"
        next_url = self.result["next_url"]
        if next_url:
            allowed = rules.can_fetch(next_url, agent)
            self.result["next_url_robots"] = "allowed" if allowed else "forbidden"
        return None

    def robots_unknown(self, failure: Failure | None) -> None:
        """No robots.txt to read: every link may be followed."""
        for link in self.result["links"]:
            link["robots"] = "allowed"

    def failed(self, failure: Failure) -> None:
        self.result = {"error": classify(failure).error}
