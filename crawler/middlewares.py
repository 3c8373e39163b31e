"""Downloader middlewares.

Politeness (:class:`BackoffRetryMiddleware`: a refusing host is slowed down as a whole;
:class:`OffHostRedirectMiddleware`: only the start host), raw copies
(:class:`WarcMiddleware`) and the cookie middleware's offline suffix list.

Imports scrapy, tldextract; :mod:`crawler.extract.urls`, :mod:`crawler.throttle`,
:mod:`crawler.warc`.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.response import response_status_message
from tldextract import TLDExtract

from crawler.extract.urls import same_site
from crawler.throttle import slot_floors
from crawler.warc import BackgroundWriter, CaptureFiles, WarcFile, capture_dir

logger = logging.getLogger(__name__)

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


class OffHostRedirect(IgnoreRequest):
    """A redirect to another host, not followed: ``target`` is where it pointed."""

    def __init__(self, target: str, status: int):
        super().__init__(f"redirect to another host: {target}")
        self.target = target
        self.status = status


class OffHostRedirectMiddleware:
    """Follow redirects on the request's own site only (``www.`` and the scheme may
    change): a redirect elsewhere raises :class:`OffHostRedirect` for the request's
    errback, before Scrapy's redirect middleware (600) would follow it — so nothing is
    fetched from the other host, not even its robots.txt."""

    def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in (301, 302, 303, 307, 308):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(response.url, location.decode("latin-1").strip())
        if same_site(target, request.url) or urlsplit(request.url).path == "/robots.txt":
            # robots.txt is followed where it leads (as search engines do): refusing it
            # would leave the crawler without the site's rules.
            return response
        raise OffHostRedirect(target, response.status)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header's wait in seconds: delta-seconds or an HTTP-date
    (RFC 9110 10.2.3); None when absent or unreadable. A date in the past is 0."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


#: Statuses that mean "slow down": the whole host is held back, not one request.
REFUSAL_STATUSES = (429, 503)
#: After a refusal the host's pace is at least this many seconds per request, then
#: recovers gradually (each answer that is no refusal shortens it by a quarter) down to
#: the configured ``DOWNLOAD_DELAY``.
MIN_DELAY_AFTER_REFUSAL = 1.0
RECOVERY_FACTOR = 0.75


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware that slows the *host* down when it refuses.

    On 429/503 or any answer with ``Retry-After`` (seconds or an HTTP date), no request
    goes to that host (its download slot) before the back-off ends:
    ``RETRY_BACKOFF_BASE * 2**n`` seconds before the n-th retry (at most
    ``RETRY_BACKOFF_MAX``), or the ``Retry-After`` wait when longer (at most
    ``NEWS_ARCHIVE_RETRY_AFTER_MAX``; a longer wait stops the run). The pace then recovers
    gradually from at least :data:`MIN_DELAY_AFTER_REFUSAL` seconds per request, never
    faster than ``DOWNLOAD_DELAY``. A host that refuses ``NEWS_ARCHIVE_MAX_REFUSALS``
    answers in a row ends the run (unhealthy, the reason named). Other retried statuses
    (500, 502, 504...) back off the same way.
    """

    def __init__(self, crawler):
        super().__init__(crawler.settings)
        settings = crawler.settings
        self.crawler = crawler
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("NEWS_ARCHIVE_RETRY_AFTER_MAX", 600.0)
        self.max_refusals = settings.getint("NEWS_ARCHIVE_MAX_REFUSALS", 10)
        self.base_delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.floors = slot_floors(settings)  # a site's own delay (sites file)
        self.refusals: dict[str, int] = {}  # slot -> refusals in a row
        self.slowed: set[str] = set()  # slots whose delay we raised
        self.given_up: dict[str, str] = {}  # slot -> why (a crawl of many sites goes on)
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        # As AutoThrottle does: the signal comes before the downloader sends the slot's
        # next request, so a refused host gets no request after the refusal.
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def backoff_delay(self, request: Request, response: Response | None = None) -> float:
        """Seconds the host is held back after ``response`` to ``request``."""
        tries = request.meta.get("retry_times", 0)
        delay = min(self.backoff_base * (2**tries), self.backoff_max)
        retry_after = retry_after_seconds(
            response.headers.get(b"Retry-After") if response is not None else None
        )
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay

    def response_downloaded(self, response: Response, request: Request, spider=None) -> None:
        """Hold the host back after a refusal; let its pace recover after other answers."""
        key, slot = self._slot(request)
        refused = response.status in REFUSAL_STATUSES
        if refused or response.status in self.retry_http_codes:
            if refused:
                self.refusals[key] = self.refusals.get(key, 0) + 1
            delay = self.backoff_delay(request, response)
            if delay > self.retry_after_max:
                self.stop(
                    key,
                    f"{key} asked to wait {delay:.0f} s (Retry-After), more than "
                    f"NEWS_ARCHIVE_RETRY_AFTER_MAX ({self.retry_after_max:.0f} s)",
                )
            elif refused and self.refusals[key] >= self.max_refusals:
                self.stop(
                    key,
                    f"{key} refused {self.refusals[key]} requests in a row "
                    f"(HTTP {response.status})",
                )
            self.hold(key, slot, delay)
            return
        self.refusals.pop(key, None)
        self.recover(key, slot)
        if b"Retry-After" in response.headers:
            self.hold(key, slot, self.backoff_delay(request, response))

    def process_request(self, request: Request, spider=None):
        """Nothing more goes to a site the run gave up (:meth:`stop`)."""
        if self.given_up:
            key, _slot = self._slot(request)
            if key in self.given_up:
                raise IgnoreRequest(f"not sent: the run gave up {key}: {self.given_up[key]}")
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        if self.stopping or request.meta.get("dont_retry", False):
            return response
        if self.given_up and self._slot(request)[0] in self.given_up:
            return response
        if response.status not in self.retry_http_codes:
            return response
        return self._retry(request, response_status_message(response.status)) or response

    def _slot(self, request: Request):
        if self.crawler.engine is None:
            return "", None
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    def hold(self, key: str, slot, seconds: float) -> None:
        """No request leaves ``slot`` for ``seconds``; then at least
        :data:`MIN_DELAY_AFTER_REFUSAL` between requests (slowly recovering)."""
        if slot is None or seconds <= 0:
            return
        self.crawler.stats.inc_value("news/host_backoffs")
        self.slowed.add(key)
        slot.delay = max(slot.delay, self.floor(key), MIN_DELAY_AFTER_REFUSAL)
        # Scrapy's downloader sends the next request of a slot once
        # ``download_delay() - now + lastseen`` is not positive: "last seen" in the future
        # holds it back for the whole wait.
        slot.lastseen = max(slot.lastseen, time.monotonic() + seconds)
        logger.info("Backing off %s for %.1f s", key, seconds)

    def recover(self, key: str, slot) -> None:
        """One answer that is no refusal: a quarter off the raised delay."""
        if key not in self.slowed or slot is None:
            return
        floor = self.floor(key)
        slot.delay = max(floor, slot.delay * RECOVERY_FACTOR)
        if slot.delay <= max(floor, 0.05):
            slot.delay = floor
            self.slowed.discard(key)

    def floor(self, key: str) -> float:
        """The slot's own delay: the site's in the sites file, else ``DOWNLOAD_DELAY``."""
        return self.floors.get(key, self.base_delay)

    def stop(self, key: str, reason: str) -> None:
        """The host does not want us now (an unhealthy verdict). In a crawl of many
        sites only that site is given up (its requests are dropped, its verdict says
        why) while the others go on; the run ends when no site is left."""
        if self.stopping or key in self.given_up:
            return
        spider = self.crawler.spider
        site = spider.site_of_host(key) if hasattr(spider, "site_of_host") else None
        hosts = getattr(spider, "run_hosts", set())
        if site is not None and len(getattr(spider, "run_sites", ())) > 1:
            self.given_up[key] = reason
            logger.error("Giving up site %s: %s", site, reason)
            spider.note_site(site, "host_refused", reason)
            # The run's column names every site given up (the verdict reads the sites').
            given_up = "; ".join(f"gave up {k}: {why}" for k, why in self.given_up.items())
            self.crawler.stats.set_value("news/host_refused", given_up)
            if not hosts <= set(self.given_up):
                return
            reason = "every site kept refusing requests"
        self.stopping = True
        logger.error("Stopping the crawl: %s", reason)
        self.crawler.stats.set_value("news/host_refused", reason)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="host_refused"))


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
            if not getattr(self.crawler.spider, "archiving", True):
                return response  # scrapy parse: nothing is stored, nothing captured
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
