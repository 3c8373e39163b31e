"""Downloader middlewares.

Imports scrapy, tldextract; :mod:`crawler.warc`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from http import HTTPStatus

from scrapy import signals
from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message
from tldextract import TLDExtract

from crawler.warc import BackgroundWriter, CaptureFiles, WarcFile, capture_dir

# Scrapy's cookie middleware asks tldextract whether a cookie's domain is a public
# suffix. By default tldextract downloads the Public Suffix List from publicsuffix.org
# (or GitHub) the first time a site sets a cookie on a machine without its cache: a
# request to a third party in the middle of a crawl, and offline a logged traceback
# before it falls back to the list bundled with tldextract. Use that bundled list
# straight away, without network or cache files. (Scrapy keeps the extractor in a
# module attribute; this module is loaded with the downloader middlewares, before any
# request.)
scrapy_cookies._split_domain = TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, waiting ``RETRY_BACKOFF_BASE * 2**n`` seconds
    (at most ``RETRY_BACKOFF_MAX``) before the n-th retry of a 429/5xx answer.

    A ``Retry-After`` header given in seconds is honoured when it asks for longer.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def backoff_delay(self, request: Request, response: Response | None = None) -> float:
        tries = request.meta.get("retry_times", 0)
        delay = self.backoff_base * (2**tries)
        retry_after = response.headers.get(b"Retry-After") if response is not None else None
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after))
        return min(delay, self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = self.backoff_delay(request, response)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry


class WarcMiddleware:
    """Write every response as it comes off the wire (before redirects, retries and
    decompression) to WARC: by default a crawl's own files in the capture folder beside
    the archive (``NEWS_ARCHIVE_WARC_DIR``, default ``<archive>.warc/``); one file
    named by ``NEWS_ARCHIVE_WARC`` (``--warc PATH``) instead; none when
    ``NEWS_ARCHIVE_CAPTURE`` is off (``--no-warc``).

    Placed next to the downloader, so 301s, 503s, robots.txt and sitemaps are kept too.
    The files written are listed in the stat ``news/warc_files`` (stored in the run's
    ``crawls`` row).
    """

    def __init__(self, crawler, open_target) -> None:
        self.crawler = crawler
        self._open_target = open_target
        self.target: BackgroundWriter | None = None
        self.reported = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        explicit = settings.get("NEWS_ARCHIVE_WARC")
        if explicit:
            middleware = cls(crawler, lambda info: WarcFile(explicit, info))
        elif settings.getbool("NEWS_ARCHIVE_CAPTURE", True):
            directory = settings.get("NEWS_ARCHIVE_WARC_DIR") or capture_dir(
                settings.get("NEWS_ARCHIVE_DB")
            )
            max_bytes = settings.getint("NEWS_ARCHIVE_WARC_MAX_BYTES", 1_000_000_000)

            def open_files(info: dict[str, str]) -> CaptureFiles:
                crawl_id = crawler.stats.get_value("news/crawl_id") or 0
                started = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
                return CaptureFiles(directory, crawl_id, started, info, max_bytes)

            middleware = cls(crawler, open_files)
        else:
            raise NotConfigured
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _info(self) -> dict[str, str]:
        settings = self.crawler.settings
        spider = self.crawler.spider
        return {
            "crawl-start-urls": " ".join(getattr(spider, "start_urls", None) or ()),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
        }

    def process_response(self, request: Request, response: Response, spider=None):
        if self.target is None:
            self.target = BackgroundWriter(self._open_target(self._info()))
        if self.target.error is not None:
            self._report(self.target.error)
            return response
        self.target.write_exchange(
            url=response.url,
            method=request.method,
            request_headers=_text_headers(request.headers),
            status=response.status,
            reason=http_reason(response.status),
            response_headers=_text_headers(response.headers),
            body=response.body,
            ip=str(response.ip_address) if response.ip_address else None,
        )
        return response

    def _report(self, error: BaseException) -> None:
        """The first capture error: logged once, counted (the crawl goes on storing)."""
        if not self.reported:
            self.reported = True
            self.crawler.stats.set_value("news/capture_error", str(error))
            logger.error("Raw captures stopped: %s", error)

    def spider_closed(self, spider=None) -> None:
        if self.target is None:
            return
        self.target.close()
        if self.target.error is not None:
            self._report(self.target.error)
        files = [str(p) for p in self.target.paths]
        self.crawler.stats.set_value("news/warc_files", files)


def http_reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _text_headers(headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]
