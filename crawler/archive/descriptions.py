"""What every table and column of the archive means: the one description that README's
"Schema" section and Datasette's metadata are both generated from.

README.md holds :func:`schema_markdown` between ``<!-- schema:start -->`` and
``<!-- schema:end -->``; ``python -m crawler.archive.descriptions`` prints it, and a
test checks that README holds exactly that and that every column of a new archive is
described here. A column added to the schema without a description fails that test.

Imports: the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableDescription:
    """One table: what a row is, its key, and each column's meaning (in table order)."""

    description: str
    key: str
    columns: dict[str, str]


TABLES: dict[str, TableDescription] = {
    "articles": TableDescription(
        "one row per article, the current text",
        "url",
        {
            "url": "canonical URL: tracking parameters and fragment dropped, the final URL "
            "after redirects",
            "lang": "`ru`, `kk` or `en` (from the text, the URL, `hreflang`, `og:locale`, "
            "`<html lang>` together); NULL when unknown",
            "title": "the title as shown",
            "published": "publication date, ISO 8601: `2022-08-24` or `2022-08-24T10:15`; "
            "NULL when the date could not be read",
            "published_raw": "the date text exactly as the page shows it, e.g. `24 Августа, "
            "2022` (a machine-readable date, e.g. `2023-03-15T09:30:00+06:00`, when the page "
            "shows none or only a day and month)",
            "views": "view count (integer) when last fetched; NULL when the page shows none "
            "or it could not be read",
            "views_raw": "the counter text as shown, e.g. `Просмотров: 1 234`",
            "body": "the text, paragraphs separated by one blank line",
            "category": "the category / rubric line, when the page shows one",
            "image_urls": "JSON list of the article's own image URLs, e.g. "
            '`["https://…/upload/iblock/abc/1.jpg"]` (`json_each(image_urls)` in SQL)',
            "first_seen": "UTC time (ISO 8601) of the first fetch that stored the article",
            "last_seen": "UTC time of the latest fetch",
            "version": "number of the current title/body in `article_versions` (1 = never changed)",
            "lastmod": "the sitemap's `<lastmod>` for this URL, when a sitemap led to it",
            "published_source": "where `published`/`published_raw` came from: `page` (the "
            "article page, its `<time datetime>` or JSON-LD included) or `list` (shown beside "
            "the article's link on the list page, used only when the article page shows no "
            "date); NULL when neither shows one",
            "views_source": "the same for `views`/`views_raw`",
            "category_source": "the same for `category`",
            "site": "the name of the article's site in the sites file (`--site`); its host "
            "for a site the file does not list; NULL for an article stored before sites "
            "were named and not fetched since",
        },
    ),
    "article_versions": TableDescription(
        "every title and body ever stored",
        "url, version",
        {
            "url": "the article (`articles.url`)",
            "version": "1 = the text first stored, then one more per change",
            "title": "that version's title",
            "body": "that version's text",
            "seen_at": "UTC time of the fetch that found it",
            "crawl_id": "the run that found it (`crawls.id`)",
        },
    ),
    "view_counts": TableDescription(
        "the series of view counts: a row each time a fetch sees a different count",
        "url, seen_at",
        {
            "url": "the article (`articles.url`)",
            "seen_at": "UTC time of the fetch",
            "views": "the count it showed",
            "crawl_id": "the run (`crawls.id`)",
        },
    ),
    "crawls": TableDescription(
        "one row per run",
        "id",
        {
            "id": "the run's number",
            "started_at": "UTC time the run started",
            "finished_at": "UTC time it ended; NULL while running or when it was killed",
            "status": "`running`, `ok`, `unhealthy`, `aborted`, `interrupted` or `storage_error`",
            "exit_code": "the exit status of `news-archive crawl`",
            "pid": "the crawl's process id",
            "arguments": "JSON: start URLs, `--full`, `--refresh-days`, settings",
            "list_pages": "list pages read",
            "list_failures": "list pages that could not be fetched",
            "article_pages": "article pages read",
            "pages_fetched": "responses received, robots.txt, sitemaps and error answers included",
            "articles_new": "articles stored for the first time",
            "articles_changed": "articles whose title or body changed",
            "articles_unchanged": "articles fetched again without a change of text",
            "articles_failed": "article fetches that failed",
            "dates_unparsed": "articles whose date text could not be read",
            "views_unparsed": "articles whose counter text could not be read",
            "summary": "the reasons of an unhealthy or aborted verdict; NULL when the run was ok",
            "sitemaps": "sitemaps read",
            "article_links": "article links found on the list pages",
            "article_links_new": "of those, links not stored before",
            "with_title": "articles stored with a title",
            "with_published": "articles stored with a date",
            "with_body": "articles stored with a body",
            "storage_errors": "batches that could not be written",
            "odd_answers": "article links that answered with no article (empty, binary, "
            "another kind of page)",
            "list_repeats": "list walks ended by a page repeating what the walk had seen",
            "list_bound": "which list stopped at the list-page bound "
            "(`NEWS_ARCHIVE_MAX_LIST_PAGES`), if one did",
            "host_refused": "why a refusing site stopped the run, if it did; in a run over "
            "several sites, which sites it gave up and why",
            "links_dropped": "links not fetched: over-long URL, redirected out of the section",
            "memory_errors": "pages whose reading ran out of memory (unhealthy)",
            "kind": "`crawl`, or `reparse` for a re-extraction from the raw captures",
            "warc_files": "JSON list of the raw capture files (WARC) the run wrote",
            "site": "the names of the sites the run crawled, `, `-separated (each has a "
            "row in `crawl_sites`)",
        },
    ),
    "crawl_sites": TableDescription(
        "each site of a run, with its own figures and verdict: a run over many sites is "
        "judged site by site",
        "crawl_id, site",
        {
            "crawl_id": "the run (`crawls.id`)",
            "site": "the site's name (`articles.site`)",
            "status": "`ok` or `unhealthy`: the site's own verdict",
            "summary": "why the site is unhealthy; NULL when it is ok",
            "list_pages": "its list pages read",
            "sitemaps": "its sitemaps read",
            "list_failures": "its list pages that could not be fetched",
            "article_links": "article links found on its list pages",
            "article_links_new": "of those, links not stored before",
            "article_pages": "its article pages read",
            "articles_new": "its articles stored for the first time",
            "articles_changed": "its articles whose title or body changed",
            "articles_unchanged": "its articles fetched again without a change of text",
            "articles_failed": "its article fetches that failed",
            "with_title": "its articles stored with a title",
            "with_published": "its articles stored with a date",
            "with_body": "its articles stored with a body",
            "odd_answers": "its article links that answered with no article",
            "list_repeats": "its list walks ended by a page repeating what the walk had seen",
            "list_bound": "which of its lists stopped at the list-page bound, if one did",
            "host_refused": "why the run gave the site up (it kept refusing), if it did",
            "links_dropped": "its links not fetched",
        },
    ),
    "failures": TableDescription(
        "one row per failed fetch",
        "id",
        {
            "id": "the failure's number",
            "url": "the URL that failed",
            "crawl_id": "the run (`crawls.id`)",
            "page": "`article`, `list` or `sitemap`",
            "kind": "what went wrong: `http`, `network`, `robots`, `not_article`, "
            "`odd_answer`, `redirects`, `too_large`, `off_host`, `off_section` or "
            '`url_too_long` (see "Failure kinds" below)',
            "status": "HTTP status; NULL for a network error or time-out",
            "error": "the message",
            "retry": '1 when the next run fetches the article again (see "Failure '
            'kinds" below); the latest row of a URL decides',
            "failed_at": "UTC time of the failure",
            "resolved_at": "set when a later run fetched the URL successfully, or found that "
            "it now redirects to a stored article",
            "resolved_crawl_id": "that later run (`crawls.id`)",
        },
    ),
    "url_aliases": TableDescription(
        "old URLs that redirected to a stored article; incremental runs do not fetch an "
        "alias again",
        "alias",
        {
            "alias": "the old URL",
            "url": "the article it redirected to (`articles.url`)",
            "first_seen": "UTC time the redirect was first seen",
        },
    ),
    "list_walks": TableDescription(
        "news lists that a finished crawl walked to the end",
        "start_url",
        {
            "start_url": "the list's first page",
            "completed_at": "UTC time the walk ended",
            "crawl_id": "the run (`crawls.id`)",
        },
    ),
}

#: Tables that are not described column by column.
OTHER_TABLES = {
    "articles_fts": "the full-text index over `articles.title` and `articles.body` "
    "(FTS5, external content; with its shadow tables `articles_fts_data`, `_idx`, "
    "`_docsize`, `_config`); it stores no text of its own",
}

START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def schema_markdown() -> str:
    """README's schema tables, generated from :data:`TABLES`."""
    blocks = []
    for name, table in TABLES.items():
        rows = "\n".join(f"| `{column}` | {meaning} |" for column, meaning in table.columns.items())
        key = ", ".join(f"`{k.strip()}`" for k in table.key.split(","))
        blocks.append(
            f"**`{name}`** — {table.description} (primary key {key}):\n\n"
            f"| column | meaning |\n|---|---|\n{rows}"
        )
    for name, description in OTHER_TABLES.items():
        blocks.append(f"**`{name}`** — {description}.")
    return "\n\n".join(blocks)


def plain(text: str) -> str:
    """A description without Markdown's backticks (for Datasette's plain-text fields)."""
    return text.replace("`", "")


if __name__ == "__main__":  # pragma: no cover
    print(f"{START}\n{schema_markdown()}\n{END}")
