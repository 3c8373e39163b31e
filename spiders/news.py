"""The news spider: routing only.

list page -> article links + next page (:mod:`crawler.extract.list_page`), and what
each item shows beside its link, handed to the article's request;
article page -> :class:`~crawler.items.Article` (:mod:`crawler.extract.fetched_page`),
extracted in a page-reading worker when they run (:mod:`crawler.page_workers`). What the
archive already holds comes from the storage pipeline, loaded under the crawl lock
(:mod:`crawler.crawl_state`); failures and redirects go to it as signals
(:mod:`crawler.signals`).

When robots.txt bars the pagination (the stock Bitrix ``Disallow: /*PAGEN``), the
spider reads the sitemaps that robots.txt announces and keeps the URLs inside the
start list's section instead.

Incremental by default: articles already stored are not fetched again, and a list is
walked only while its pages bring links not seen before — once a finished crawl has
walked that list to its end (``list_walks``); until then every page is read, so a
killed or failed first crawl is completed by the next. ``full`` walks everything.

Imports scrapy, twisted; :mod:`crawler`, :mod:`crawler.archive.database`,
:mod:`crawler.crawl_state`, :mod:`crawler.extract.list_page`,
:mod:`crawler.extract.overrides`, :mod:`crawler.extract.urls`, :mod:`crawler.items`,
:mod:`crawler.page_workers`, :mod:`crawler.pipelines`, :mod:`crawler.site_profiles`;
:mod:`crawler.inspect_spider` for ``scrapy parse``.

Over 400 lines: the list walk, the sitemap path and the article callbacks share one
run's bookkeeping (what was scheduled, stored, walked).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler import signals
from crawler.archive.database import utc_now
from crawler.crawl_state import CrawlState
from crawler.extract.list_page import ListPage
from crawler.extract.overrides import Selectors
from crawler.extract.sitemap_body import RefusedSitemap, sitemap_xml
from crawler.extract.urls import (
    Section,
    canonical_url,
    looks_like_article_url,
    on_start_host,
    same_page_one,
)
from crawler.fetch_failures import classify
from crawler.items import Article, ListedFields
from crawler.page_workers import crawl_workers
from crawler.pipelines import SQLitePipeline
from crawler.site_profiles import (
    SiteProfile,
    SitesFileError,
    download_slots,
    host_of,
    load_sites,
    site_names,
)


def split_urls(value: str | Iterable[str] | None) -> list[str]:
    """Start URLs from a list or a comma/whitespace separated string (``-a start_urls=``)."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [u.strip() for u in value if u.strip()]


def as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def odd_answer(response: Response) -> str | None:
    """Why a 200 answer to an article URL holds no page at all (empty, binary, not
    HTML), or None when it is a page."""
    if not isinstance(response, TextResponse):
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        return f"not an HTML page ({content_type or 'no content type'})"
    body = response.body
    if not body.strip():
        return "empty body"
    if b"\x00" in body[:2048]:
        return "binary body"
    return None


#: The largest sitemap read (also after gunzip): the sitemap protocol's own limit.
SITEMAP_MAXSIZE = 50 * 1024 * 1024


def linked_url(request: Request) -> str:
    """The canonical URL a request was made for, before any redirect."""
    if request.meta.get("canonical"):
        return request.meta["canonical"]
    redirects = request.meta.get("redirect_urls")
    return canonical_url(redirects[0] if redirects else request.url)


def parse_lastmod(value: str | None) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime) as an aware UTC datetime, or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


#: List pages fetched in a run, ahead of the articles already queued (see
#: :meth:`NewsSpider.list_request`).
LIST_RUN = 8


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(
        self,
        start_urls: str | Iterable[str] | None = None,
        full: object = None,
        refresh_days: object = None,
        db: str | None = None,
        sites: str | None = None,
        site: str | Iterable[str] | None = None,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.start_urls = split_urls(start_urls)
        self._db_arg = db
        for url in self.start_urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                # scrapy crawl news -a start_urls=…: one line and a non-zero exit
                # before anything is created (an exception here would be a traceback).
                print(f"Error: -a start_urls: not an http(s) URL: {url!r}", file=sys.stderr)
                raise SystemExit(2)
        self._full_arg = full
        self._refresh_arg = refresh_days
        self._sites_arg = sites  # -a sites=FILE (Scrapyd: a path on its machine)
        self._site_arg = site  # -a site=NAME[,NAME...]
        self.scheduled: set[str] = set()  # article URLs requested in this run
        self.stored: set[str] = set()  # article URLs yielded in this run
        self.sitemap_sections: dict[str, list[str]] = defaultdict(list)
        self.sitemap_entries: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        self.sections: dict[str, Section] = {}
        self.selectors_by_start: dict[str, Selectors] = {}
        #: Start lists walked to their end (or read from the sitemaps) in this run.
        self.walks_completed: set[str] = set()
        #: Per start list: the list pages and article links this run's walk has seen.
        self.walk_pages: dict[str, set[str]] = defaultdict(set)
        self.walk_links: dict[str, set[str]] = defaultdict(set)
        self.time_zones: dict[str, str] = {}
        #: The article links of each list page walked, per start list, and the page that
        #: showed them first: ``?PAGEN_1=1`` of a forward list shows page 1 again.
        self.walked_links: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider._db_arg:  # -a db=PATH (Scrapyd's schedule.json db=PATH): the archive
            crawler.settings.set("NEWS_ARCHIVE_DB", spider._db_arg, priority="spider")
        try:
            spider.configure(crawler.settings)
        except SitesFileError as exc:  # one line and exit 2, as for a bad start URL
            print(f"Error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        return spider

    def configure(self, settings) -> None:
        """Read the sites and the walk mode (what the archive holds comes later, under
        the crawl lock: :attr:`state`), and give each site its own pace."""
        self.sites = load_sites(self._sites_arg or settings.get("NEWS_ARCHIVE_SITES") or None)
        names = site_names(self._site_arg or settings.get("NEWS_ARCHIVE_SITE"))
        if names and self.start_urls:
            raise SitesFileError("give start URLs or site names (--site), not both")
        profiles = self.sites.named(names)
        if not self.start_urls:
            self.start_urls = [url for p in profiles for url in p.start_urls]
        #: The site of each start list, and the run's sites in order.
        self.site_of_start = {url: self.sites.name_for_url(url) for url in self.start_urls}
        self.run_sites = list(dict.fromkeys(self.site_of_start.values()))
        self.pace_sites(settings, [p for p in profiles if p.name in self.run_sites])
        self.full = as_bool(
            self._full_arg if self._full_arg is not None else settings.getbool("NEWS_ARCHIVE_FULL")
        )
        refresh = self._refresh_arg
        if refresh is None:
            refresh = settings.getint("NEWS_ARCHIVE_REFRESH_DAYS", 0)
        self.refresh_days = int(refresh)
        # Page requisites for the captures: only worth fetching when they are kept.
        captured = settings.get("NEWS_ARCHIVE_WARC") or settings.getbool("NEWS_ARCHIVE_CAPTURE")
        self.fetch_images = settings.getbool("NEWS_ARCHIVE_IMAGES") and bool(captured)
        self.image_maxsize = settings.getint("NEWS_ARCHIVE_IMAGE_MAXSIZE", 10_000_000)
        self.images_requested: set[str] = set()
        self.max_list_pages = settings.getint("NEWS_ARCHIVE_MAX_LIST_PAGES", 2000)
        depth_limit = settings.getint("DEPTH_LIMIT", 0)
        if depth_limit:  # Scrapy would drop the next list page (and its articles) silently
            self.max_list_pages = min(self.max_list_pages, depth_limit)
        self.url_length_limit = settings.getint("URLLENGTH_LIMIT", 2083)
        self.time_zone = settings.get("NEWS_ARCHIVE_TIME_ZONE") or None

    def pace_sites(self, settings, profiles: list[SiteProfile]) -> None:
        """Each site's own delay and concurrency (its hosts' download slots; a slot the
        settings name already keeps its settings), and enough concurrency overall for
        every site of the run to be fetched at once: 50 sites take about as long as the
        slowest, not the sum."""
        if settings.frozen:
            return
        slots = download_slots(profiles) | settings.getdict("DOWNLOAD_SLOTS")
        settings.set("DOWNLOAD_SLOTS", slots, priority=settings.getpriority("DOWNLOAD_SLOTS"))
        per_host = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1)
        wanted = sum(slots.get(host, {}).get("concurrency", per_host) for host in self.run_hosts)
        if wanted > settings.getint("CONCURRENT_REQUESTS"):
            settings.set(
                "CONCURRENT_REQUESTS", wanted, priority=settings.getpriority("CONCURRENT_REQUESTS")
            )

    def count(self, start_url: str | None, name: str, value: int = 1) -> None:
        """Add to a run figure (``news/<name>``) and to its site's
        (``news/site/<site>/<name>``)."""
        stats = self.crawler.stats
        stats.inc_value(f"news/{name}", value)
        site = self.site_of_start.get(start_url) if start_url else None
        if site is not None:
            stats.inc_value(f"news/site/{site}/{name}", value)

    def site_of_host(self, host: str) -> str | None:
        """The run's site that fetches from ``host`` (a download slot's key)."""
        bare = host.lower().removeprefix("www.")
        return next((s for url, s in self.site_of_start.items() if host_of(url) == bare), None)

    @property
    def run_hosts(self) -> set[str]:
        """The host names (download slots) of the start lists."""
        return {urlsplit(url).hostname or "" for url in self.start_urls}

    def note_site(self, site: str, name: str, value: str) -> None:
        """Set a site's text figure (``news/site/<site>/<name>``)."""
        self.crawler.stats.set_value(f"news/site/{site}/{name}", value)

    def note(self, start_url: str | None, name: str, value: str) -> None:
        """Set a run's text figure and its site's (the first value stays, for
        ``first_list_failure``: see :meth:`report_failure`)."""
        stats = self.crawler.stats
        site = self.site_of_start.get(start_url) if start_url else None
        keys = [f"news/{name}"] + ([f"news/site/{site}/{name}"] if site else [])
        for key in keys:
            if name != "first_list_failure" or not stats.get_value(key):
                stats.set_value(key, value)

    def load_crawl_state(self) -> CrawlState | None:
        """What the archive holds, as the storage pipeline loaded it under the crawl lock
        (None when the archive could not be opened: the crawl is closing). Without the
        pipeline (feeds only) everything is new."""
        pipeline = self.crawler.get_item_pipeline(SQLitePipeline)
        if pipeline is None:
            self.logger.warning("No archive pipeline: every article is fetched as new")
            return CrawlState()
        return pipeline.state

    @property
    def archiving(self) -> bool:
        """A crawl into the archive; False under ``scrapy parse`` (which replaces
        :meth:`start`), when the storage pipeline leaves the archive alone."""
        return getattr(type(self).start, "__qualname__", "") == "NewsSpider.start"

    def parse(self, response: Response, **kwargs):
        """``scrapy parse --spider news URL``: what ``news-archive inspect URL`` shows.
        An article page gives its record; a list page gives requests for its article
        links and its next page (``--depth 2`` follows them)."""
        from crawler.inspect_spider import inspect_page_result

        if not isinstance(response, TextResponse):
            self.logger.warning("Not an HTML page: %s", response.url)
            return
        result = inspect_page_result(response)
        self.logger.info("%s is a page of type %r", response.url, result["page_type"])
        if "article" in result:
            yield Article(**result["article"])
            return
        for url in result["article_urls"]:
            yield Request(url, callback=self.parse)
        if result["next_url"]:
            yield Request(result["next_url"], callback=self.parse)

    # -- starting --------------------------------------------------------------

    async def start(self):
        state = self.load_crawl_state()
        if state is None:
            return
        self.workers = crawl_workers(self.crawler)
        self.known = state.known
        self.known_fetched = state.last_fetched
        self.walked = state.walked
        # Articles to retry or refresh first, so the list walk knows they are scheduled.
        for url in [*state.retry_urls, *sorted(state.refresh_urls)]:
            start_url = self.section_of(url)
            if start_url and url not in self.scheduled:
                yield self.article_request(url, start_url)
        for start_url in self.start_urls:
            yield self.list_request(start_url, start_url)

    def in_section(self, url: str, start_url: str) -> bool:
        """``url`` is on the start list's host, under its directory."""
        section = self.sections.get(start_url)
        if section is None:
            section = self.sections[start_url] = Section(start_url)
        return section.contains(url)

    def selectors(self, start_url: str) -> Selectors:
        """The site profile's selector overrides for this start list (looked up once)."""
        found = self.selectors_by_start.get(start_url)
        if found is None:
            found = self.selectors_by_start[start_url] = self.sites.selectors_for_url(start_url)
        return found

    def site_time_zone(self, start_url: str) -> str | None:
        """The zone the site's relative dates are read in: the setting, else the site
        profile's; None (this machine's clock) for a site without a profile."""
        zone = self.time_zones.get(start_url)
        if zone is None:
            zone = self.time_zones[start_url] = self.time_zone or self.sites.time_zone_for_url(
                start_url
            )
        return zone or None

    def section_of(self, url: str) -> str | None:
        """The start list whose section holds ``url``, if any."""
        return next((s for s in self.start_urls if self.in_section(url, s)), None)

    def list_request(self, url: str, start_url: str, number: int = 1) -> Request:
        """List page ``number`` of ``start_url``'s list. Articles go first
        (priority 1) except for the pages of a run of :data:`LIST_RUN`: the next page of a
        run is fetched before the articles already queued, so the list walk (the
        crawl's critical path: a list page is read before its articles are known) does
        not leave the scheduler empty after every page; the first page of the next run
        waits for them, so the queue holds at most a run of pages' articles."""
        return Request(
            url,
            callback=self.parse_list,
            errback=self.list_failed,
            cb_kwargs={"start_url": start_url, "number": number},
            priority=0 if number % LIST_RUN == 1 else 2,
        )

    def article_request(
        self,
        url: str,
        start_url: str,
        lastmod: str | None = None,
        listed: ListedFields | None = None,
    ) -> Request:
        """The article at ``url``; ``listed``: what its list item showed beside the link
        (date, counter, rubric), used for the fields the article page lacks."""
        self.scheduled.add(url)
        self.workers.expect()  # enough pages to read: workers start before they arrive
        return Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"start_url": start_url},
            # The URL is canonical already: parse_article need not work it out again
            # unless the page answered from elsewhere (a redirect).
            meta={"lastmod": lastmod, "canonical": url, "listed": listed},
            # The spider keeps its own set of scheduled articles; Scrapy's duplicate
            # filter would drop a redirect back to a URL already asked for (a redirect
            # loop, a second old URL of one article) without a word.
            dont_filter=True,
            # Before the first list page of the next run (priority 0), after the other
            # list pages of a run (2): see list_request. Keeps the queue short.
            priority=1,
        )

    # -- list pages ------------------------------------------------------------

    async def parse_list(
        self, response: Response, start_url: str, number: int = 1
    ) -> list[Request]:
        """Requests for the list's new articles and its next page (a coroutine returning
        a list, like :meth:`parse_article`)."""
        self.count(start_url, "list_pages")
        if not isinstance(response, TextResponse):
            self.logger.warning("List page is not HTML: %s", response.url)
            return []
        page = await self.workers.extract_list(response, self.selectors(start_url))
        return list(self.follow_list(page, response.url, start_url, number))

    def follow_list(
        self, page: ListPage, page_url: str, start_url: str, number: int = 1
    ) -> Iterator[Request]:
        """The list page's new article links, then the next list page while walking on.

        The walk stops on a page that repeats what it has seen (the same page again, or
        only links it has already seen: an out-of-range page number, a pager that never
        ends) and after ``NEWS_ARCHIVE_MAX_LIST_PAGES`` pages; either is unhealthy (the
        list's end may be out of reach) and the list is not marked walked. One repeat is
        the list's end, not a fault: page 1 reached again under its other name
        (``?PAGEN_1=1`` of a forward-numbered list shows the bare list URL's page)."""
        self.count(start_url, "article_links", len(page.article_urls))
        seen_pages, seen_links = self.walk_pages[start_url], self.walk_links[start_url]
        page_key = canonical_url(page_url)
        pairs = [(link, on_start_host(link, start_url)) for link in page.article_urls]
        links = [url for _link, url in pairs]
        first_shown = self.walked_links[start_url].get(tuple(links)) if links else None
        if first_shown is not None and same_page_one(page_key, first_shown):
            self.logger.info("%s shows page 1 again: end of the list", page_url)
            self.walks_completed.add(start_url)
            return
        if page_key in seen_pages or (links and seen_links.issuperset(links)):
            # The same page again, or only links seen: a pager that does not advance (the
            # rest of the list is out of reach) or a next link past the end.
            self.logger.error("List page %s repeats what the walk has seen: stop", page_url)
            self.count(start_url, "list_repeats")
            return
        seen_pages.add(page_key)
        seen_links.update(links)
        self.walked_links[start_url].setdefault(tuple(links), page_key)
        new = 0
        for link, url in pairs:
            if url in self.scheduled or not self.in_section(url, start_url):
                continue
            if len(url) > self.url_length_limit:
                self.drop_link(
                    url, "url_too_long", f"URL of {len(url)} characters not fetched", start_url
                )
                continue
            if url in self.known:
                self.scheduled.add(url)
                continue
            new += 1
            yield self.article_request(url, start_url, listed=page.listed.get(link))
        self.count(start_url, "article_links_new", new)
        next_url = page.next_url and on_start_host(page.next_url, start_url)
        if not next_url or not self.in_section(next_url, start_url):
            self.walks_completed.add(start_url)
            return
        if not (self.full or new or start_url not in self.walked):
            self.logger.info("Nothing new on %s: stop walking this list", page_url)
            return
        if number >= self.max_list_pages:
            bound = (
                f"stopped walking {start_url} after {number} list pages "
                "(NEWS_ARCHIVE_MAX_LIST_PAGES or DEPTH_LIMIT)"
            )
            self.logger.error("%s", bound)
            self.note(start_url, "list_bound", bound)
            return
        yield self.list_request(next_url, start_url, number + 1)

    def drop_link(self, url: str, kind: str, error: str, start_url: str) -> None:
        """A linked article not fetched: counted, and a failure row says why."""
        self.logger.warning("Not fetched (%s): %s", error, url[:200])
        self.count(start_url, "links_dropped")
        self.record_failure(url, "article", kind, None, error)

    def list_failed(self, failure: Failure) -> Iterator[Request]:
        request = failure.request
        start_url = request.cb_kwargs["start_url"]
        if classify(failure).kind == "robots":
            self.logger.info(
                "robots.txt forbids %s: reading the sitemaps for %s", request.url, start_url
            )
            yield from self.use_sitemaps(start_url)
            return
        self.count(start_url, "list_failures")
        self.report_failure(failure, page="list")

    # -- sitemaps (robots.txt bars the pagination) ------------------------------

    def use_sitemaps(self, start_url: str) -> Iterator[Request]:
        parts = urlsplit(start_url)
        host = parts.netloc
        if start_url in self.sitemap_sections.get(host, ()):
            return
        first = host not in self.sitemap_sections
        self.sitemap_sections[host].append(start_url)
        if first:
            robots = f"{parts.scheme}://{host}/robots.txt"
            yield Request(
                robots,
                callback=self.parse_robots,
                errback=self.sitemap_failed,
                cb_kwargs={"host": host},
                dont_filter=True,
            )
        else:
            self.walks_completed.add(start_url)
            yield from self.sitemap_article_requests(self.sitemap_entries[host], start_url)

    def parse_robots(self, response: Response, host: str) -> Iterator[Request]:
        sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not sitemaps:
            sitemaps = [f"{urlsplit(response.url).scheme}://{host}/sitemap.xml"]
        for url in sitemaps:
            yield self.sitemap_request(url, host)

    def sitemap_start(self, host: str | None) -> str | None:
        """The first start list read from ``host``'s sitemaps (its site counts them)."""
        starts = self.sitemap_sections.get(host)
        return starts[0] if starts else None

    def parse_sitemap(self, response: Response, host: str) -> Iterator[Request]:
        self.count(self.sitemap_start(host), "sitemaps")
        try:
            body = sitemap_xml(response.body, SITEMAP_MAXSIZE)
        except RefusedSitemap as exc:
            self.logger.warning("Sitemap %s refused: %s", response.url, exc)
            self.record_failure(canonical_url(response.url), "sitemap", "odd_answer", 200, str(exc))
            return
        sitemap = Sitemap(body)
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                if urlsplit(entry["loc"]).netloc == host:
                    yield self.sitemap_request(entry["loc"], host)
            return
        entries = [(canonical_url(e["loc"]), e.get("lastmod")) for e in sitemap if "loc" in e]
        self.sitemap_entries[host].extend(entries)
        for start_url in self.sitemap_sections[host]:
            self.walks_completed.add(start_url)
            yield from self.sitemap_article_requests(entries, start_url)

    def sitemap_request(self, url: str, host: str) -> Request:
        """A sitemap (the protocol allows 50 MB: more than a news page's cap)."""
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            cb_kwargs={"host": host},
            meta={"download_maxsize": SITEMAP_MAXSIZE},
        )

    def sitemap_article_requests(
        self, entries: list[tuple[str, str | None]], start_url: str
    ) -> Iterator[Request]:
        for url, lastmod in entries:
            url = on_start_host(url, start_url)
            if url in self.scheduled or not looks_like_article_url(url, start_url):
                continue
            if url in self.known and not self.changed_since_fetch(url, lastmod):
                self.scheduled.add(url)
                continue
            yield self.article_request(url, start_url, lastmod)

    def changed_since_fetch(self, url: str, lastmod: str | None) -> bool:
        """The sitemap says the page changed after we last fetched it."""
        changed = parse_lastmod(lastmod)
        fetched = parse_lastmod(self.known_fetched.get(url))
        return bool(changed and fetched and changed > fetched)

    def sitemap_failed(self, failure: Failure) -> None:
        self.report_failure(failure, page="sitemap")

    # -- articles --------------------------------------------------------------

    async def parse_article(self, response: Response, start_url: str) -> list[Article | Request]:
        """The article read from the page, in a worker process when they run
        (:mod:`crawler.page_workers`). A coroutine returning a list, not an async
        generator: Scrapy's spider middlewares then take their cheaper synchronous path."""
        self.count(start_url, "article_pages")
        url = response.meta.get("canonical")
        if response.url != url:
            url = canonical_url(response.url)
        if not self.in_section(url, start_url):
            self.logger.warning("Redirected out of the news section: %s", response.url)
            self.crawler.stats.inc_value("news/off_section")
            self.count(start_url, "links_dropped")
            self.record_failure(
                response.meta.get("canonical") or url,
                "article",
                "off_section",
                response.status,
                f"redirected out of the news section to {response.url}",
            )
            return []
        if url in self.stored:  # reached twice in this run (an old URL redirected here)
            self.record_aliases(response, url)
            return []
        odd = odd_answer(response)
        if odd is not None:
            return self.not_stored(url, response, "odd_answer", odd, start_url)
        kind, article = await self.workers.extract_article(
            response,
            url,
            utc_now(),
            self.selectors(start_url),
            response.meta.get("listed"),
            self.site_time_zone(start_url),
        )
        if article is None:
            return self.not_stored(
                url, response, "not_article", f"not an article page ({kind})", start_url
            )
        if "\ufffd" in (article.body or "") or "\ufffd" in (article.title or ""):
            self.logger.warning("Undecodable bytes (stored as U+FFFD) on %s", response.url)
            self.crawler.stats.inc_value("news/undecodable_pages")
        self.record_aliases(response, url)
        if url in self.stored:  # the same article, read meanwhile from another response
            return []
        self.stored.add(url)
        article.lastmod = response.meta.get("lastmod")
        article.site = self.site_of_start.get(start_url)
        return [article, *self.image_requests(article, start_url)]

    # -- page requisites (--images) ------------------------------------------------

    def image_requests(self, article: Article, start_url: str) -> list[Request]:
        """The article's own images, on the start list's host, for the captures: fetched
        last (priority -1), each at most ``NEWS_ARCHIVE_IMAGE_MAXSIZE`` bytes, robots.txt
        obeyed like every request; nothing is stored but the capture."""
        if not self.fetch_images:
            return []
        host = urlsplit(start_url).netloc.lower().removeprefix("www.")
        requests = []
        for url in article.image_urls:
            url = on_start_host(url, start_url)
            if url in self.images_requested or urlsplit(url).netloc.lower() != host:
                continue
            self.images_requested.add(url)
            requests.append(
                Request(
                    url,
                    callback=self.image_fetched,
                    errback=self.image_failed,
                    meta={"download_maxsize": self.image_maxsize},
                    priority=-1,
                )
            )
        return requests

    def image_fetched(self, response: Response) -> None:
        self.crawler.stats.inc_value("news/images")

    def image_failed(self, failure: Failure) -> None:
        self.crawler.stats.inc_value("news/image_failures")
        self.logger.info("Image not kept: %s (%s)", failure.request.url, failure.getErrorMessage())

    def not_stored(
        self, url: str, response: Response, kind: str, error: str, start_url: str
    ) -> list:
        """A 200 answer that holds no article: a failure row, retried by the next runs
        a bounded number of times (:data:`crawler.archive.schema.ODD_ANSWER_RUNS`)."""
        self.logger.warning("No article (%s), not stored: %s", error, response.url)
        self.count(start_url, "not_article")
        self.record_failure(url, "article", kind, response.status, error)
        return []

    def record_aliases(self, response: Response, url: str) -> None:
        """Old URLs that redirected here are known from now on."""
        for alias in {canonical_url(u) for u in response.meta.get("redirect_urls", ())}:
            if alias != url:
                self.crawler.signals.send_catch_log(signals.url_redirected, alias=alias, url=url)

    def article_failed(self, failure: Failure) -> Iterator[Request]:
        request = failure.request
        if classify(failure).kind == "robots":
            # robots.txt forbids this link (an old index.php?ELEMENT_ID= alias, say): the
            # sitemaps may hold the article under its allowed URL.
            self.crawler.stats.inc_value("news/robots_forbidden")
            self.record_failure(
                linked_url(request), "article", "robots", None, "forbidden by robots.txt"
            )
            yield from self.use_sitemaps(request.cb_kwargs["start_url"])
            return
        self.count(request.cb_kwargs.get("start_url"), "article_failures")
        self.report_failure(failure, page="article")

    def report_failure(self, failure: Failure, page: str) -> None:
        """A failure row for the URL that was asked for (not where a redirect led),
        with the real reason (:func:`crawler.fetch_failures.classify`)."""
        request = failure.request
        found = classify(failure)
        if found.kind == "http" and request.meta.get("redirect_urls"):
            error = f"{found.error} at {request.url} (redirected)"
        else:
            error = found.error
        self.logger.warning("Failed %s: %s", request.url, error)
        if page != "article":  # the verdict names the first
            start_url = request.cb_kwargs.get("start_url")
            if start_url is None and page == "sitemap":
                start_url = self.sitemap_start(request.cb_kwargs.get("host"))
            self.note(start_url, "first_list_failure", f"{request.url}: {error}")
        self.record_failure(linked_url(request), page, found.kind, found.status, error)

    def record_failure(
        self, url: str, page: str, kind: str, status: int | None, error: str
    ) -> None:
        """Hand a failed fetch to the storage pipeline (``failures`` table)."""
        self.crawler.signals.send_catch_log(
            signals.fetch_failed, url=url, page=page, kind=kind, status=status, error=error
        )
