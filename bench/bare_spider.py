"""The framework's ceiling: a bare Scrapy spider that fetches the pages the crawler fetches.

``python -m bench.bare_spider --start-url URL... [-s NAME=VALUE]...`` runs stock Scrapy
(no project settings, pipelines or middlewares) with the given settings and prints one
JSON line of figures (responses, requests, elapsed seconds). ``-s
NEWS_ARCHIVE_GC_THRESHOLD=N`` is not passed to Scrapy: it sets Python's collector
threshold as the crawler does (:mod:`crawler.collector`).

"The same links" means the same pages, reached the same way:

* list pages are walked one after the other, following only the pager link to the next
  page number (``PAGEN_n=``, ``nav-x=page-n``, ``/page-n/``), as the crawler does;
* every other link of a list page under the list's directory is requested as an
  article (priority 1, as in the crawler) — as written in the page, so tracking
  parameters and legacy URLs are fetched (and redirected) too; RSS, search and tag
  links are skipped, and Scrapy's duplicate filter drops repeats;
* article pages are downloaded and dropped: no parsing, no item.

Links are found with one regular expression over the HTML (no DOM), so the spider's
own cost stays far below Scrapy's per-request cost.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response, TextResponse

from crawler.collector import set_first_threshold

_HREF = re.compile(r'href="([^"#]*)')
_PAGE_NUMBER = re.compile(r"(?:PAGEN_\d+=|page-)(\d+)", re.IGNORECASE)
_SKIP = re.compile(r"(?:/rss/|/search/|[?&]tag=)")


class BareSpider(scrapy.Spider):
    """Follows list pages (next page only) and their article links; stores nothing."""

    name = "bare"

    def __init__(self, start_urls: list[str], max_list_pages: int = 0, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = list(start_urls)
        self.max_list_pages = max_list_pages  # 0: no limit

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield self.list_request(url, url, 1)

    def list_request(self, url: str, start_url: str, page: int) -> Request:
        return Request(
            url, callback=self.parse_list, cb_kwargs={"start_url": start_url, "page": page}
        )

    def parse_list(self, response: Response, start_url: str, page: int) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            return
        section = _directory(start_url)
        next_url = None
        for href in _HREF.findall(response.text):
            url = response.urljoin(html.unescape(href))
            if not url.startswith(section) or _SKIP.search(url):
                continue
            number = _PAGE_NUMBER.search(url)
            if number is not None:
                if next_url is None and int(number.group(1)) == page + 1:
                    next_url = url
            elif url != section:
                yield Request(url, callback=self.parse_article, priority=1)
        if next_url is not None and not 0 < self.max_list_pages <= page:
            yield self.list_request(next_url, start_url, page + 1)

    def parse_article(self, response: Response) -> None:
        """Downloaded; nothing else."""


def _directory(start_url: str) -> str:
    """``http://host/ru/news/`` for a start URL ``http://host/ru/news/`` (or ``…/index.php``)."""
    parts = urlsplit(start_url)
    path = parts.path if parts.path.endswith("/") else parts.path.rpartition("/")[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_spider", description=__doc__)
    parser.add_argument("--start-url", action="append", required=True, dest="start_urls")
    parser.add_argument(
        "--max-list-pages",
        type=int,
        default=0,
        help="walk at most this many pages of each list (0: all)",
    )
    parser.add_argument(
        "-s",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="settings",
        help="a Scrapy setting (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from scrapy.crawler import CrawlerProcess

    args = parse_args(argv)
    settings = dict(pair.split("=", 1) for pair in args.settings)
    # Not a Scrapy setting: the crawler's garbage-collector threshold, applied the same
    # way here so that both sides run with it (crawler/collector.py).
    threshold = int(settings.pop("NEWS_ARCHIVE_GC_THRESHOLD", 0) or 0)
    if threshold > 0:
        set_first_threshold(threshold)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    started = time.monotonic()
    process.crawl(crawler, start_urls=args.start_urls, max_list_pages=args.max_list_pages)
    process.start()
    stats = crawler.stats.get_stats()
    json.dump(
        {
            "responses": stats.get("downloader/response_count", 0),
            "requests": stats.get("downloader/request_count", 0),
            "elapsed_s": stats.get("elapsed_time_seconds"),
            "wall_in_process_s": time.monotonic() - started,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
