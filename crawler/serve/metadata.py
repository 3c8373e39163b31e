"""Datasette metadata for a news archive, generated from the schema's descriptions.

Every table and column is described from :mod:`crawler.archive.descriptions` (the same
text README's "Schema" section is generated from); ``articles`` is sorted newest first,
labelled by its title, and faceted by site, language, category and year (site only
where the archive has the column: one made before sites were named, served read-only,
lacks it until its next crawl).

Imports: the standard library and :mod:`crawler.archive.descriptions`.
"""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

from crawler.archive.descriptions import OTHER_TABLES, TABLES, plain

#: Tables that make a database a news archive.
ARCHIVE_TABLES = ("articles", "crawls")

TITLE = "News archive"
DESCRIPTION = (
    "Articles collected by news-archive, a crawler for news sites built on 1C-Bitrix: "
    "the current text of each article, every earlier version, the series of view "
    "counts, and the log of crawls and failed fetches. Search the articles in any "
    "inflected form (the search box of the articles table, or the ranked search query); "
    "charts are in the menu."
)

ARTICLES_OPTIONS = {
    "sort_desc": "published",
    "label_column": "title",
    "facets": ["site", "lang", "category", {"year": "published"}],
}


def table_metadata(site_column: bool = True) -> dict:
    """``tables`` of a database's metadata: descriptions, and the articles' options
    (``site_column`` False: no site facet, the archive has no such column)."""
    tables = {}
    for name, table in TABLES.items():
        tables[name] = {
            "description": plain(table.description),
            "columns": {column: plain(meaning) for column, meaning in table.columns.items()},
        }
    for name, description in OTHER_TABLES.items():
        tables[name] = {"description": plain(description)}
    tables["articles"].update(ARTICLES_OPTIONS)
    if not site_column:
        tables["articles"]["facets"] = [f for f in ARTICLES_OPTIONS["facets"] if f != "site"]
    return tables


def has_site_column(path: str) -> bool:
    """Whether the archive's ``articles`` has the ``site`` column (read-only); True
    when it cannot be read (the facet is then Datasette's to report)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        finally:
            conn.close()
    except sqlite3.Error:
        return True
    return "site" in columns


def crawled_sites(path: str) -> list[str]:
    """The start URLs of the archive's latest crawl (its source), read-only."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT arguments FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        urls = json.loads(row[0] or "{}").get("start_urls") or [] if row else []
    except (sqlite3.Error, ValueError, AttributeError):
        return []
    return [u for u in urls if isinstance(u, str)]


def archive_metadata(databases: dict[str, str]) -> dict:
    """Datasette metadata for the archives ``databases`` (name → file path)."""
    sites: list[str] = []
    for path in databases.values():
        sites += [u for u in crawled_sites(path) if u not in sites]
    hosts = sorted({urlsplit(u).netloc for u in sites if urlsplit(u).netloc})
    metadata = {"title": TITLE, "description": DESCRIPTION}
    if hosts:
        metadata["source"] = "news lists of " + ", ".join(hosts)
        metadata["source_url"] = sites[0]
    metadata["databases"] = {
        name: {"description": DESCRIPTION, "tables": table_metadata(has_site_column(path))}
        for name, path in databases.items()
    }
    return metadata
