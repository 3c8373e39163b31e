"""Extracting pages in worker processes, beside Scrapy's reactor.

Scrapy fetches and schedules on one thread, and extracting a page (the lxml parse and
the generic rules of :mod:`crawler.extract`) costs about as much CPU as Scrapy spends
fetching it. On a machine with a spare core the extraction is handed to worker
processes (:mod:`crawler.worker_process`), so a fast crawl (a local mirror, a WARC
replay) runs at Scrapy's own speed. The results are the same either way: the workers
call the same pure functions (:mod:`crawler.extract.fetched_page`).

:class:`PageWorkersExtension` (a Scrapy extension, setting ``EXTENSIONS``) owns the
workers of a crawl: it starts none until asked, and ends them when the spider closes.
The spider asks it for :class:`PageWorkers` (``crawler.get_extension``).

- Under ``auto``, a polite pace starts no worker at all: with ``DOWNLOAD_DELAY`` (or
  AutoThrottle's start delay) of :data:`POLITE_DELAY` or more the crawl's process reads
  each page long before the next one arrives (:func:`pace_delay`). Sites with their own
  delay (the sites file's, in ``DOWNLOAD_SLOTS``) are fetched at once: their rates add
  up (50 sites at 0.2 s ask 250 pages a second of the crawl's process).
- Workers start only once a crawl has more than ``start_after`` pages to read (article
  pages scheduled, see :meth:`PageWorkers.expect`, or pages read): a cron run that
  finds a few new articles never pays for them, and a big crawl starts them as soon as
  its first list page is read, before the article pages arrive. Until a worker has said
  it is ready (about half a second) list pages are read in the crawl's own process (the
  list walk is the crawl's critical path) and article pages wait for the worker: the
  reactor keeps downloading meanwhile instead of reading pages at half its speed (and
  paying, say, for dateparser's first use). A worker not ready after
  ``READY_TIMEOUT`` seconds is given up, and the waiting pages are read in-process.
- Workers are child processes on pipes, driven by the reactor itself (no threads).
  They end when their input ends, which also happens when the crawl is killed.
- A page a worker could not read (it raised, or the worker died) is read again in the
  crawl's process, so errors surface exactly as without workers. After a worker dies
  no new one is started: the crawl goes on reading pages itself.

Imports scrapy, twisted, w3lib; :mod:`crawler.extract.list_page`,
:mod:`crawler.extract.overrides`, :mod:`crawler.items`, :mod:`crawler.worker_process`.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections import deque
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, error, protocol
from w3lib.encoding import http_content_type_encoding

from crawler.extract.list_page import ListPage
from crawler.extract.overrides import Selectors
from crawler.items import Article, ListedFields
from crawler.worker_process import HEADER, extract, frame

logger = logging.getLogger(__name__)


def auto_processes(cpus: int | None = None) -> int:
    """Workers for ``NEWS_ARCHIVE_PARSE_PROCESSES = auto``: every core but the reactor's,
    at most 2 (the reactor is the limit beyond that); none on a single core."""
    cpus = cpus or os.cpu_count() or 1
    return max(0, min(2, cpus - 1))


def parse_processes(value: object) -> int:
    """The setting as a number of workers: ``auto`` (or empty), or 0 = read in-process."""
    text = "" if value is None else str(value).strip().lower()
    if text in {"", "auto"}:
        return auto_processes()
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise ValueError(f"NEWS_ARCHIVE_PARSE_PROCESSES must be 'auto' or 0 or more, not {value!r}")
    return number


#: A delay between requests from which a crawl never needs a worker under ``auto``: the
#: crawl's process reads a page in a few milliseconds and waits the rest of the delay.
POLITE_DELAY = 0.5


def pace_delay(settings) -> float:
    """The time a crawl starts with between two of its requests: ``DOWNLOAD_DELAY``, or
    AutoThrottle's start delay when that is on and longer (AutoThrottle starts there).

    The download slots with a delay of their own (``DOWNLOAD_SLOTS``: the sites file's
    sites, set by the spider; AutoThrottle keeps each at its delay) are fetched side by
    side: when they ask more, the time is 1 / the sum of their rates (concurrency /
    delay; a host counted once, with or without ``www.``)."""
    delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
    if settings.getbool("AUTOTHROTTLE_ENABLED"):
        delay = max(delay, settings.getfloat("AUTOTHROTTLE_START_DELAY", 5.0))
    rates: dict[str, float] = {}
    for key, slot in settings.getdict("DOWNLOAD_SLOTS").items():
        if isinstance(slot, dict) and "delay" in slot:
            own = float(slot["delay"])
            rate = float(slot.get("concurrency", 1)) / own if own > 0 else float("inf")
            rates[str(key).lower().removeprefix("www.")] = rate
    total = sum(rates.values())
    return min(delay, 1 / total) if total else delay


def is_auto(settings) -> bool:
    """``NEWS_ARCHIVE_PARSE_PROCESSES`` is ``auto`` (an explicit number is obeyed)."""
    value = settings.get("NEWS_ARCHIVE_PARSE_PROCESSES", "auto")
    return str(value if value is not None else "").strip().lower() in {"", "auto"}


def worker_count(settings) -> int:
    """How many workers a crawl with these settings may start (see :func:`pace_delay`)."""
    processes = parse_processes(settings.get("NEWS_ARCHIVE_PARSE_PROCESSES", "auto"))
    delay = pace_delay(settings)
    if processes and is_auto(settings) and delay >= POLITE_DELAY:
        logger.info(
            "No page-reading worker: at %g s between requests the crawl's process "
            "reads every page while it waits",
            delay,
        )
        return 0
    return processes


class WorkerFailed(Exception):
    """A worker could not read a page (it raised, or it died)."""


#: Seconds a starting worker may take to say it is ready before pages are read
#: in-process again (it normally takes about half a second).
READY_TIMEOUT = 15.0

#: Pages handed to a worker at a time (the rest wait here, list pages first). A worker
#: gets its next page only when the reactor has read an answer and written the next
#: request, a loop iteration or two later; with 2 a worker sat idle about a quarter of
#: the time while some 400 pages (Scrapy's 5 MB scraper limit) waited here and the
#: reactor stopped fetching. With 8 the worker keeps up and almost nothing waits here.
DEPTH = 8


class _Worker(protocol.ProcessProtocol):
    """One worker process: requests written in order, answers matched in order."""

    def __init__(self, on_ready, on_answer, on_gone) -> None:
        self.pending: deque[defer.Deferred] = deque()
        self.ready = False
        self.gone = False
        self.ended: defer.Deferred = defer.Deferred()
        self._buffer = bytearray()
        self._on_ready = on_ready
        self._on_answer = on_answer
        self._on_gone = on_gone

    def submit(self, request: tuple, answer: defer.Deferred) -> None:
        self.pending.append(answer)
        self.transport.write(frame(request))

    def outReceived(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= HEADER.size:
            size = HEADER.unpack_from(self._buffer)[0]
            end = HEADER.size + size
            if len(self._buffer) < end:
                return
            status, value = pickle.loads(self._buffer[HEADER.size : end])
            del self._buffer[:end]
            self._answer(status, value)

    def _answer(self, status: str, value: Any) -> None:
        if status == "ready":
            self.ready = True
            self._on_ready(self)
            return
        answer = self.pending.popleft()
        self._on_answer()  # hand over the next page before this one's callbacks run
        if status == "ok":
            answer.callback(value)
        else:
            answer.errback(WorkerFailed(value))

    def processEnded(self, reason) -> None:
        self.gone = True
        while self.pending:
            self.pending.popleft().errback(WorkerFailed(f"worker ended: {reason.value}"))
        self._on_gone(self, reason)
        self.ended.callback(None)

    @property
    def available(self) -> bool:
        """Ready for pages and still running."""
        return self.ready and not self.gone

    def stop(self) -> None:
        if not self.gone and self.transport is not None:
            self.transport.closeStdin()

    def kill(self) -> None:
        if not self.gone and self.transport is not None:
            try:
                self.transport.signalProcess("KILL")
            except error.ProcessExitedAlready:
                pass


def declared_charset(response: TextResponse) -> str | None:
    """The charset the response's ``Content-Type`` header declares (None when it
    declares none): a hint for :func:`crawler.extract.encoding.decode_page`, which
    weighs it against the bytes."""
    content_type = response.headers.get(b"Content-Type") or b""
    return http_content_type_encoding(content_type.decode("latin-1"))


class PageWorkers:
    """Extract pages in worker processes once the crawl is big enough, else in-process.

    ``await workers.extract_article(response, canonical, fetched_at, selectors)`` and
    ``await workers.extract_list(response, selectors)`` give what
    :func:`crawler.extract.fetched_page.extract_article` and
    :func:`~crawler.extract.fetched_page.extract_list` give for the response's page. List
    pages go to a worker before any waiting article page: the list walk is the crawl's
    critical path (the next list page brings the next articles).
    """

    def __init__(
        self,
        processes: int,
        start_after: int = 20,
        ready_timeout: float = READY_TIMEOUT,
        command: list[str] | None = None,
    ) -> None:
        self.processes = processes
        self.start_after = start_after
        self.ready_timeout = ready_timeout
        self.command = command or [sys.executable, "-m", "crawler.worker_process"]
        self.pages = 0
        self.expected = 0
        self.in_workers = 0
        self._workers: list[_Worker] = []
        self._waiting: dict[str, deque[tuple[tuple, defer.Deferred]]] = {
            "list": deque(),
            "article": deque(),
        }
        self._started = False
        self._closed = False
        self._ready_check = None

    def expect(self, pages: int = 1) -> None:
        """``pages`` more article pages are on their way (requests scheduled)."""
        self.expected += pages
        if self.expected > self.start_after:
            self._start_once()

    async def extract_article(
        self,
        response: TextResponse,
        canonical: str,
        fetched_at: str,
        selectors: Selectors | None,
        listed: ListedFields | None = None,
        time_zone: str | None = None,
    ) -> tuple[str, Article | None]:
        args = (
            response.body,
            declared_charset(response),
            response.url,
            canonical,
            fetched_at,
            selectors,
            listed,
            time_zone,
        )
        return await self._extract("article", args)

    async def extract_list(self, response: TextResponse, selectors: Selectors | None) -> ListPage:
        args = (response.body, declared_charset(response), response.url, selectors)
        return await self._extract("list", args)

    async def _extract(self, kind: str, args: tuple) -> Any:
        self.pages += 1
        if self.pages > self.start_after:
            self._start_once()
        if self._usable() or (kind == "article" and self._starting()):
            answer: defer.Deferred = defer.Deferred()
            self._waiting[kind].append(((kind, args), answer))
            self._hand_over()
            try:
                result = await maybe_deferred_to_future(answer)
            except WorkerFailed as error:
                logger.debug("A worker could not extract %s (%s); doing it here", args[2], error)
            else:
                self.in_workers += 1
                return result
        return extract(kind, args)

    def _usable(self) -> bool:
        return not self._closed and any(w.available for w in self._workers)

    def _starting(self) -> bool:
        """A worker is on its way: started, not ready yet, not given up."""
        return not self._closed and any(not w.ready and not w.gone for w in self._workers)

    def _hand_over(self) -> None:
        """Give waiting pages (list pages first) to workers with room for them."""
        for worker in self._workers:
            while worker.available and len(worker.pending) < DEPTH:
                queue = self._waiting["list"] or self._waiting["article"]
                if not queue:
                    return
                worker.submit(*queue.popleft())

    def _start_once(self) -> None:
        if not self._started and self.processes and not self._closed:
            self._start()

    def _start(self) -> None:
        from twisted.internet import reactor

        self._started = True
        # The worker imports this very package, wherever the crawl found it.
        root = str(Path(__file__).resolve().parent.parent)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])]),
        }
        for _ in range(self.processes):
            worker = _Worker(self._ready, self._hand_over, self._gone)
            try:
                reactor.spawnProcess(
                    worker,
                    self.command[0],
                    self.command,
                    env=env,
                    childFDs={0: "w", 1: "r", 2: 2},
                )
            except (OSError, NotImplementedError) as exc:
                logger.warning("Cannot start a page-reading worker (%s): reading pages here", exc)
                break
            self._workers.append(worker)
        if self._workers:
            self._ready_check = reactor.callLater(self.ready_timeout, self._check_ready)

    def _check_ready(self) -> None:
        """Give up workers that are still not ready (killed: one stuck for good would
        otherwise keep the crawl from ending)."""
        if self._closed or any(w.ready for w in self._workers):
            return
        logger.warning(
            "No page-reading worker was ready after %g s: reading pages in the crawl's process",
            self.ready_timeout,
        )
        self.close()
        for worker in self._workers:
            worker.kill()

    def _ready(self, worker: _Worker) -> None:
        if self._closed:
            worker.stop()
            return
        if worker is self._workers[0]:
            logger.info("Reading pages in %d worker process(es) from now on", self.processes)
        self._hand_over()

    def _gone(self, worker: _Worker, reason) -> None:
        if not self._closed:
            logger.warning(
                "A page-reading worker ended (%s): reading pages in the crawl's process",
                reason.value,
            )
            self.close()

    def close(self) -> defer.Deferred:
        """Let the workers finish what they were given and end; pages still waiting are
        read in-process. The Deferred fires when every worker has ended (a
        ``spider_closed`` handler: the crawl's process leaves no worker behind)."""
        self._closed = True
        if self._ready_check is not None and self._ready_check.active():
            self._ready_check.cancel()
        for queue in self._waiting.values():
            while queue:
                queue.popleft()[1].errback(WorkerFailed("the workers are closing"))
        for worker in self._workers:
            worker.stop()
        return defer.DeferredList([w.ended for w in self._workers if not w.gone])


class PageWorkersExtension:
    """The crawl's page-reading workers, as a Scrapy extension.

    Settings: ``NEWS_ARCHIVE_PARSE_PROCESSES`` (``auto`` or a number, 0 = extract in the
    crawl's process) and ``NEWS_ARCHIVE_PARSE_AFTER`` (pages to wait for before starting
    any). The workers are ended, and waited for, when the spider closes; the stat
    ``news/pages_read_in_workers`` counts the pages they extracted.
    """

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.workers = PageWorkers(
            worker_count(settings), start_after=settings.getint("NEWS_ARCHIVE_PARSE_AFTER", 20)
        )
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler) -> PageWorkersExtension:
        return cls(crawler)

    async def spider_closed(self) -> None:
        """Stop the workers and wait until they have ended."""
        self.stats.set_value("news/pages_read_in_workers", self.workers.in_workers)
        await maybe_deferred_to_future(self.workers.close())


def crawl_workers(crawler) -> PageWorkers:
    """The crawl's :class:`PageWorkers` (in-process only when the extension is off)."""
    extension = crawler.get_extension(PageWorkersExtension)
    return extension.workers if extension is not None else PageWorkers(0)
