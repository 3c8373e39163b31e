"""Crawl throughput: the bare Scrapy spider against the full crawler, on one fixture site.

Both run in their own process (a fresh Twisted reactor each) with the same Scrapy
settings (:data:`SHARED_SETTINGS`). Pages per second are measured on the *server* side,
the same way for both: requests answered divided by the time from the first answer to
the last, so interpreter start-up and shutdown are left out of the rate (they are in
the wall-clock figures).
"""

from __future__ import annotations

import re
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import children
from crawler.fixture_site import FixtureSite

#: Scrapy settings given to both sides. CONCURRENT_ITEMS=1: Scrapy starts that many
#: tasks per callback (scrapy#5182); the project sets 1, so the bare spider does too.
SHARED_SETTINGS = {
    "CONCURRENT_REQUESTS": "8",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "CONCURRENT_ITEMS": "1",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "True",
    "COOKIES_ENABLED": "True",
    "RETRY_TIMES": "3",
    "LOG_LEVEL": "INFO",
    # The crawler's collector threshold (crawler/collector.py); the bare spider applies
    # the same, so its ceiling is measured at its fastest too.
    "NEWS_ARCHIVE_GC_THRESHOLD": "10000",
}
#: The full crawler only: its retry middleware waits RETRY_BACKOFF_BASE before a retry
#: (stock Scrapy does not wait).
FULL_ONLY_SETTINGS = {"RETRY_BACKOFF_BASE": "0"}

_LIST_PATH = re.compile(r"^/(\w+)/news/(?:index\.php)?(?:\?(?:PAGEN_\d+|nav-news)=[^&]*)?$")


class RequestClock:
    """Arrival times of the requests the fixture site answers (its log has no times)."""

    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.times: list[float] = []
        self._lock = threading.Lock()
        record = site.app.record

        def timed_record(method: str, path: str, status: int) -> None:
            with self._lock:
                self.times.append(time.perf_counter())
            record(method, path, status)

        site.app.record = timed_record

    def reset(self) -> None:
        self.site.clear_log()
        with self._lock:
            self.times.clear()

    def window(self) -> tuple[int, float]:
        """(requests answered, seconds from the first answer to the last)."""
        with self._lock:
            times = list(self.times)
        return len(times), (times[-1] - times[0]) if len(times) > 1 else 0.0


@dataclass
class CrawlRun:
    """One crawl of the whole site by one side."""

    side: str  # "bare" or "full"
    requests: int
    window_s: float
    pages_per_s: float
    wall_s: float
    peak_rss_mb: float  # the largest single process (GNU time)
    tree_peak_rss_mb: float = 0.0  # all the crawl's processes together (workers included)
    cpu_ms_per_request: float = 0.0  # CPU of all the crawl's processes / requests
    summary: str = ""


def setting_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def url_args(urls: list[str]) -> list[str]:
    return [arg for url in urls for arg in ("--start-url", url)]


def bare_command(site: FixtureSite, *extra: str) -> list[str]:
    return [
        "-m",
        "bench.bare_spider",
        *url_args(site.start_urls),
        *setting_args(SHARED_SETTINGS),
        *extra,
    ]


def full_command(site: FixtureSite, db: Path, *extra: str) -> list[str]:
    settings = {**SHARED_SETTINGS, **FULL_ONLY_SETTINGS}
    return [
        "-m",
        "crawler",
        "crawl",
        "--db",
        str(db),
        *url_args(site.start_urls),
        *setting_args(settings),
        *extra,
    ]


def crawl_once(site: FixtureSite, clock: RequestClock, side: str, db: Path) -> CrawlRun:
    """One measured crawl; ``db`` is the full crawler's (fresh) database."""
    clock.reset()
    args = bare_command(site) if side == "bare" else full_command(site, db)
    child = children.python(*args).check()
    requests, window = clock.window()
    summary = child.stdout.strip().splitlines()[-1] if child.stdout.strip() else ""
    return CrawlRun(
        side,
        requests,
        window,
        (requests - 1) / window if window else 0.0,
        child.wall_s,
        child.peak_rss_mb,
        child.tree_peak_rss_mb,
        1000 * child.cpu_s / requests if requests else 0.0,
        summary if side == "full" else "",
    )


def warm_up(site: FixtureSite) -> None:
    """Use up the site's one-off faults (503 answers on the first two list pages and
    their articles), so every measured crawl asks for the same pages; this also loads
    the interpreter's files into the page cache."""
    children.python(*bare_command(site, "--max-list-pages", "3")).check()


def compare(site: FixtureSite, clock: RequestClock, rounds: int, workdir: Path, log=print) -> dict:
    """Alternate bare and full crawls for ``rounds`` rounds (after :func:`warm_up`);
    return every run and the medians."""
    log("  warm-up: bare spider on the first list pages (unmeasured)")
    warm_up(site)
    runs: list[CrawlRun] = []
    for number in range(rounds):
        order = ("bare", "full") if number % 2 == 0 else ("full", "bare")
        for side in order:
            db = workdir / f"full-{number}.db"
            run = crawl_once(site, clock, side, db)
            runs.append(run)
            log(
                f"  round {number + 1} {side:4}: {run.requests} requests, "
                f"{run.pages_per_s:6.1f} pages/s, wall {run.wall_s:5.1f} s, "
                f"CPU {run.cpu_ms_per_request:4.2f} ms/request, "
                f"peak RSS {run.tree_peak_rss_mb:5.1f} MB (largest process {run.peak_rss_mb:.0f})"
            )
    return {
        "runs": [asdict(r) for r in runs],
        **_medians(runs),
        "last_db": str(workdir / f"full-{rounds - 1}.db"),
    }


def _medians(runs: list[CrawlRun]) -> dict:
    bare = [r.pages_per_s for r in runs if r.side == "bare"]
    full = [r.pages_per_s for r in runs if r.side == "full"]
    # Ratios within a round (neighbouring runs share the machine's load of the moment).
    ratios = [f / b for f, b in zip(full, bare, strict=True) if b]
    return {
        "bare_pages_per_s": statistics.median(bare),
        "full_pages_per_s": statistics.median(full),
        "ratio_full_bare": statistics.median(ratios),
        "ratios": ratios,
        "bare_requests": statistics.median(r.requests for r in runs if r.side == "bare"),
        "full_requests": statistics.median(r.requests for r in runs if r.side == "full"),
        # Summed over the crawl's processes (workers included) when /proc allows.
        "full_peak_rss_mb": max(_rss(r) for r in runs if r.side == "full"),
        "bare_peak_rss_mb": max(_rss(r) for r in runs if r.side == "bare"),
        "full_cpu_ms_per_request": statistics.median(
            r.cpu_ms_per_request for r in runs if r.side == "full"
        ),
        "bare_cpu_ms_per_request": statistics.median(
            r.cpu_ms_per_request for r in runs if r.side == "bare"
        ),
    }


def _rss(run: CrawlRun) -> float:
    return max(run.tree_peak_rss_mb, run.peak_rss_mb)


def classify(path: str) -> str:
    """``robots``, ``list:<lang dir>`` or ``article`` for a logged request path."""
    if path == "/robots.txt":
        return "robots"
    match = _LIST_PATH.match(path)
    return f"list:{match.group(1)}" if match else "article"


def incremental(site: FixtureSite, clock: RequestClock, db: Path, runs: int, log=print) -> dict:
    """Re-crawl the unchanged site into the archive ``db`` (as cron would, default
    options): requests by kind and wall-clock seconds including start-up."""
    walls, rss, kinds = [], [], Counter()
    for _ in range(runs):
        clock.reset()
        child = children.python(*full_command(site, db)).check()
        walls.append(child.wall_s)
        rss.append(max(child.tree_peak_rss_mb, child.peak_rss_mb))
        kinds = Counter(classify(path) for _method, path, _status in site.request_log)
    lists = {k.split(":", 1)[1]: v for k, v in kinds.items() if k.startswith("list:")}
    result = {
        "wall_s": statistics.median(walls),
        "walls": walls,
        "requests": sum(kinds.values()),
        "list_pages_per_language": lists,
        "article_requests": kinds.get("article", 0),
        "peak_rss_mb": max(rss),
        "summary": child.stdout.strip().splitlines()[-1] if child.stdout.strip() else "",
    }
    log(
        f"  {result['requests']} requests (list pages {lists}, "
        f"{result['article_requests']} articles), wall {result['wall_s']:.2f} s (median of {runs})"
    )
    return result


def new_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="news-archive-bench-"))
