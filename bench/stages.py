"""Cost of each stage per article, timed on pages saved from the fixture site.

The pure functions the crawler calls for every page run here on the same pages, in
this process (no HTTP, no Scrapy engine): list-page extraction, article extraction,
URL routing, date normalisation, the whole normalisation, the SQLite write and the
full-text index. Each figure is the best of a few passes over all the pages (as
``timeit`` does: other processes on the machine only ever add time); the storage
figures, which include disk writes, are medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from scrapy.http import HtmlResponse

from crawler.archive.store import ArchiveStore
from crawler.extract.classify import extract_page
from crawler.extract.dates import find_date, parse_date
from crawler.extract.list_page import extract_list_page
from crawler.extract.record import build_article
from crawler.extract.urls import canonical_url, in_section
from crawler.fixture_site import FixtureSite
from crawler.items import Article
from crawler.site_profiles import load_sites

#: Date texts in the formats the fast path documents (crawler/dates.py).
KNOWN_DATES = [
    ("24.08.2022", "ru"),
    ("24.08.2022 10:15", "ru"),
    ("24/08/22", "ru"),
    ("2022-08-24", "en"),
    ("2022-08-24T10:15:00+05:00", "en"),
    ("24 Августа, 2022", "ru"),
    ("24 августа 2022 г., 14:30", "ru"),
    ("24-го августа 2022 г.", "ru"),
    ("24 Тамыз, 2022", "kk"),
    ("24 тамызда 2022", "kk"),
    ("2022 жылғы 24 тамыз", "kk"),
    ("24 August 2022", "en"),
    ("August 24, 2022", "en"),
    ("Aug. 24th, 2022", "en"),
    ("Сегодня, 10:15", "ru"),
    ("Вчера в 18:40", "ru"),
    ("Опубликовано: 24.08.2022", "ru"),
    ("ср, 24 авг 2022", "ru"),
    ("10:15 24.08.2022", "ru"),
    ("24 Aug 2022 at 2:30 PM", "en"),
]
BATCH = 200  # NEWS_ARCHIVE_BATCH_SIZE
#: The per-article figures :func:`measure` returns, in data-flow order.
STAGE_KEYS = (
    "list_extraction_us",
    "article_extraction_us",
    "routing_us",
    "normalise_us",
    "storage_us",
    "fts_us",
)
FTS_TRIGGERS = ("articles_ai", "articles_ad", "articles_au")


def page_text(site: FixtureSite, url: str) -> tuple[str, str] | None:
    """(decoded HTML, ``url``) of a page of the site, decoded as Scrapy decodes it;
    None unless it answers 200 (a 503 is asked again, as the crawler retries it)."""
    for _ in range(4):
        answer = site.app.respond(url.removeprefix(site.url))
        if answer.status != 503:
            break
    if answer.status != 200:
        return None
    headers = {"Content-Type": answer.content_type}
    return HtmlResponse(url, body=answer.body, headers=headers).text, url


def saved_pages(site: FixtureSite, per_lang: int) -> tuple[list, list]:
    """The first ``per_lang`` articles of each news list, and the list pages linking them."""
    articles, lists = [], []
    selectors_for_url = load_sites().selectors_for_url
    for start_url in site.start_urls:
        url, found = start_url, 0
        while url and found < per_lang and (listed := page_text(site, url)):
            lists.append((*listed, start_url))
            page = extract_list_page(listed[0], url, selectors_for_url(start_url))
            for link in page.article_urls[: per_lang - found]:
                if fetched := page_text(site, link):
                    articles.append((*fetched, start_url))
                    found += 1
            url = page.next_url
    return articles, lists


def best_us(fn: Callable[[], object], count: int, passes: int = 3) -> float:
    """Microseconds per item of the fastest of ``passes`` runs of ``fn`` over ``count``
    items."""
    times = []
    for _ in range(passes):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) / count * 1e6)
    return min(times)


def loop(fn: Callable, items: Iterable[tuple]) -> Callable[[], None]:
    items = list(items)

    def run() -> None:
        for item in items:
            fn(*item)

    return run


def measure(site: FixtureSite, per_lang: int, log=print) -> dict:
    """Per-article microseconds of each stage, plus date parsing rates."""
    articles, lists = saved_pages(site, per_lang)
    selectors_for_url = load_sites().selectors_for_url
    n = len(articles)
    links = sum(len(extract_list_page(h, u).article_urls) for h, u, _ in lists)
    result: dict = {"articles": n, "list_pages": len(lists)}
    list_us = best_us(
        loop(lambda h, u, s: extract_list_page(h, u, selectors_for_url(s)), lists), len(lists)
    )
    result["list_page_us_per_page"] = list_us
    result["list_extraction_us"] = list_us * len(lists) / links
    result["article_extraction_us"] = best_us(
        loop(lambda h, u, s: extract_page(h, u, selectors_for_url(s)), articles), n
    )
    result["routing_us"] = best_us(
        loop(lambda h, u, s: in_section(canonical_url(u), s), articles), n
    )
    fields = [(extract_page(h, u, selectors_for_url(s))[1], u) for h, u, s in articles]
    result.update(_dates(fields))
    result["normalise_us"] = best_us(
        loop(lambda f, u: build_article(u, f, "2026-01-01T00:00:00Z"), fields), n
    )
    stored = [build_article(canonical_url(u), f, "2026-01-01T00:00:00Z") for f, u in fields]
    result.update(_storage(stored))
    for name in STAGE_KEYS:
        log(f"  {name:22} {result[name]:8.1f} µs/article")
    log(
        f"  dates: {result['known_dates_per_s']:,.0f}/s (documented formats), "
        f"{result['fixture_dates_per_s']:,.0f}/s (fixture pages, fallback included)"
    )
    return result


def _dates(fields: list) -> dict:
    """Dates per second: the documented formats (the target), the fixture pages' dates
    read by the fast path, and all the fixture pages' dates (dateparser fallback too).
    Many passes: a pass takes milliseconds, and the best one is the machine's figure."""
    raw = [(f.date_raw, f.lang) for f, _ in fields if f and f.date_raw]
    known = [(d, lang) for d, lang in raw if find_date(d)]
    table = KNOWN_DATES * 50
    every_us = best_us(loop(parse_date, raw), len(raw))
    return {
        "known_dates_per_s": 1e6 / best_us(loop(parse_date, table), len(table), passes=30),
        "fixture_known_dates_per_s": 1e6
        / best_us(loop(parse_date, known * 20), len(known) * 20, passes=30),
        "fixture_dates_per_s": 1e6 / every_us,
        "fixture_dates": len(raw),
        "fixture_dates_fast_path": len(known),
        "dates_us": every_us,
    }


def _storage(articles: list[Article], copies: int = 8) -> dict:
    """Batched ``save_articles`` into fresh databases, with and without the FTS triggers."""
    rows = [replace(a, url=f"{a.url}copy-{k}/") for k in range(copies) for a in articles]
    with_fts, without = [], []
    for _ in range(3):
        with_fts.append(_save_all(rows, fts=True))
        without.append(_save_all(rows, fts=False))
    plain, indexed = statistics.median(without), statistics.median(with_fts)
    return {
        "storage_us": plain,
        "fts_us": max(indexed - plain, 0.0),
        "storage_with_fts_us": indexed,
    }


def _save_all(rows: list[Article], fts: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = ArchiveStore(Path(tmp) / "stages.db")
        if not fts:
            for trigger in FTS_TRIGGERS:
                store.db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            store.save_articles(rows[start : start + BATCH], crawl_id=1)
        elapsed = time.perf_counter() - started
        store.close()
    return elapsed / len(rows) * 1e6
