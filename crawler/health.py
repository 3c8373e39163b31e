"""Is a finished crawl healthy? Pure rules over the run's figures, and exit codes.

A run is unhealthy when the site kept refusing requests (the run was stopped), when
reading a page ran out of memory, when a list walk hit the list-page bound or a page
that repeats what it had seen (an endless pager), when article links answered with no
article (empty, binary, another kind of page: retried by the next runs), when no list
page could be fetched, when some list page failed (the walk is incomplete), when list
pages showed no article link at all, when it fetched list pages but stored none of the
new articles they linked, when failures exceed :data:`MAX_FAILURE_SHARE` of the article
fetches, or when a field's coverage collapses (most stored articles without a title,
date or body: the markup probably changed), or when the raw captures could not be written.

Imports the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_ABORTED = 1  # the crawl stopped before finishing (signal, unexpected error)
EXIT_USAGE = 2  # bad arguments (click's own usage errors use 2 as well)
EXIT_LOCKED = 3  # another crawl holds the lock on this database
EXIT_DATABASE = 4  # the database cannot be opened, read or written
EXIT_UNHEALTHY = 5  # the crawl finished, but the figures say something is wrong

#: More failed article fetches than this share of all article fetches is unhealthy
#: (from MIN_FAILURES_TO_JUDGE failures on: two 404s of five fetches are no alarm).
MAX_FAILURE_SHARE = 0.2
MIN_FAILURES_TO_JUDGE = 3
#: Below this share of stored articles having a field, the field's coverage collapsed.
MIN_FIELD_COVERAGE = 0.5
#: Coverage rules apply only to runs that stored at least this many articles.
MIN_ARTICLES_FOR_COVERAGE = 5


#: How the coverage reasons name a field. A date shown beside the article's link on the
#: list page counts as the article's date.
_FIELD_NAMES = {
    "title": "title",
    "published": "date on the article page or beside its link on the list",
    "body": "body",
}


@dataclass
class Verdict:
    status: str  # "ok", "unhealthy", "aborted", "storage_error"
    exit_code: int
    reasons: list[str] = field(default_factory=list)


def _pages(count: int) -> str:
    return f"{count} list page" if count == 1 else f"{count} list pages"


def assess(
    figures: dict, finish_reason: str = "finished", sites: dict[str, dict] | None = None
) -> Verdict:
    """Judge a run from its figures (see ``crawls`` columns) and Scrapy's finish reason.

    ``sites``: each site's own figures (``crawl_sites`` columns) when the run crawled
    more than one; the list and article rules then judge every site on its own, and a
    reason names its site ("site X: ..."). Without them the run's figures are judged as
    one site's."""
    if figures.get("storage_errors"):
        return Verdict("storage_error", EXIT_DATABASE, ["the database could not be written"])
    if finish_reason == "host_refused":  # the site does not want us now: stopped politely
        refused = figures.get("host_refused") or "the site kept refusing requests"
        return Verdict("unhealthy", EXIT_UNHEALTHY, [f"stopped: {refused}"])
    if finish_reason != "finished":
        return Verdict("aborted", EXIT_ABORTED, [f"crawl stopped: {finish_reason}"])
    reasons = []
    if figures.get("memory_errors"):
        reasons.append(f"ran out of memory on {figures['memory_errors']} pages")
    if sites and len(sites) > 1:
        for name, site_figures in sites.items():
            reasons.extend(f"site {name}: {reason}" for reason in site_reasons(site_figures))
    else:
        reasons.extend(site_reasons(figures))
    if figures.get("capture_error"):
        reasons.append(f"raw captures stopped: {figures['capture_error']}")
    if reasons:
        return Verdict("unhealthy", EXIT_UNHEALTHY, reasons)
    return Verdict("ok", EXIT_OK)


def site_reasons(figures: dict) -> list[str]:
    """What is wrong with one site's lists and articles in a finished run (nothing: it
    is healthy)."""
    reasons = []
    if figures.get("host_refused"):  # given up while the other sites went on
        reasons.append(f"given up: {figures['host_refused']}")
    if figures.get("list_bound"):
        reasons.append(figures["list_bound"])
    if figures.get("list_repeats"):
        reasons.append(
            f"{figures['list_repeats']} list walks stopped on a page that repeats what they "
            "had seen (a pager that does not advance?)"
        )
    if figures.get("odd_answers"):
        reasons.append(
            f"{figures['odd_answers']} article links answered with no article (empty, "
            "binary or another kind of page): retried by the next runs"
        )
    list_pages = figures.get("list_pages", 0) + figures.get("sitemaps", 0)
    saved = sum(
        figures.get(k, 0) for k in ("articles_new", "articles_changed", "articles_unchanged")
    )
    failed = figures.get("articles_failed", 0)
    first = figures.get("first_list_failure")
    cause = f" (first: {first})" if first else ""
    if list_pages == 0:
        if not figures.get("host_refused"):
            reasons.append(f"no list page could be fetched{cause}")
        cause = ""  # said once
    elif (
        figures.get("list_pages")
        and not figures.get("article_links")
        and not figures.get("sitemaps")
    ):
        reasons.append(
            f"no article link found on {_pages(figures['list_pages'])} "
            "(is the start URL a news list?)"
        )
    if figures.get("list_failures"):
        reasons.append(f"{_pages(figures['list_failures'])} could not be fetched{cause}")
    linked = figures.get("article_links_new", 0)
    if linked and saved == 0 and not figures.get("host_refused"):
        reasons.append(f"list pages linked {linked} new articles but none was stored")
    fetched = figures.get("article_pages", 0) + failed
    if failed >= MIN_FAILURES_TO_JUDGE and failed / fetched > MAX_FAILURE_SHARE:
        reasons.append(f"{failed} of {fetched} article fetches failed")
    if saved >= MIN_ARTICLES_FOR_COVERAGE:
        for name in ("title", "published", "body"):
            have = figures.get(f"with_{name}", saved)
            if have / saved < MIN_FIELD_COVERAGE:
                reasons.append(f"only {have} of {saved} articles have a {_FIELD_NAMES[name]}")
    return reasons
