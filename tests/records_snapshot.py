"""Same records before and after a refactoring: a snapshot of what the crawler produces.

Two kinds of evidence, taken through the code production runs:

- every saved page under ``tests/sample_data/pages/`` read as the crawl reads a fetched
  page (bytes in, page type and record or list links out);
- a real ``news-archive crawl`` of the fixture site for every markup family (and the
  sitemap path of a ``robots=bitrix`` site): the stored articles, failures and counters.

``python -m tests.records_snapshot save`` writes the snapshot
(``tests/sample_data/records_snapshot.json.gz``); ``python -m tests.records_snapshot
check`` compares what the code produces now with it and prints the differences.
``tests/test_same_records.py`` runs the same comparison.

A change that is meant to alter records (a new extraction rule) saves a new snapshot in
the same commit, so the diff of the rule shows in review as a diff of records.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import sys
import tempfile
from pathlib import Path

PAGES = Path(__file__).parent / "sample_data" / "pages"
SNAPSHOT = Path(__file__).parent / "sample_data" / "records_snapshot.json.gz"
#: Fixture-site crawls compared: (layout, robots).
CRAWLS = [
    ("default", "open"),
    ("custom", "open"),
    ("modern", "open"),
    ("mixed", "open"),
    ("mixed", "bitrix"),
    ("reverse", "open"),
    ("unseen", "open"),
]
FETCHED_AT = "2026-01-01T00:00:00Z"
_ORIGIN = re.compile(r"http://127\.0\.0\.1:\d+")
_YEAR = re.compile(r"(?:19|20)\d\d")


def saved_page_records() -> dict[str, dict]:
    """Every saved page read as the crawl reads it: page type and record or links."""
    from crawler.extract.fetched_page import extract_article, extract_list

    records = {}
    for path in sorted(PAGES.glob("*.json")):
        url = json.loads(path.read_text(encoding="utf-8"))["url"]
        body = path.with_suffix(".html").read_bytes()
        kind, article = extract_article(body, "utf-8", url, url, FETCHED_AT, None)
        record: dict = {"page_type": kind}
        if article is not None:
            record["article"] = dataclasses.asdict(article)
            record["article"].pop("site")  # the crawl's label of the page, not extracted
        else:
            listed = extract_list(body, "utf-8", url, None)
            record["article_urls"] = listed.article_urls
            record["next_url"] = listed.next_url
            record["listed"] = {  # as JSON keeps them (tuples become lists)
                link: json.loads(json.dumps(dataclasses.asdict(fields), ensure_ascii=False))
                for link, fields in listed.listed.items()
            }
        records[path.stem] = record
    return records


def _masked(value):
    """Values with the fixture site's random port replaced by ``ORIGIN``."""
    if isinstance(value, str):
        return _ORIGIN.sub("ORIGIN", value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def crawl_records(layout: str, robots: str) -> dict:
    """Crawl the fixture site into a fresh archive; what it stored, port-independent."""
    import sqlite_utils

    from crawler.fixture_site import FixtureSite
    from tests.crawl_helpers import crawl

    with tempfile.TemporaryDirectory() as tmp, FixtureSite(layout=layout, robots=robots) as site:
        db_path = Path(tmp) / "archive.db"
        result = crawl(db_path, site.start_urls)
        db = sqlite_utils.Database(db_path)
        articles = []
        for row in db.query("SELECT * FROM articles ORDER BY url"):
            # first_seen/last_seen move with the clock; lastmod depends on whether the
            # first list page or the sitemap scheduled the article first (a race on the
            # robots=bitrix site, where both lead to the same articles); site is the
            # crawl's label (the fixture's host), not something extracted
            for moving in ("first_seen", "last_seen", "lastmod", "site"):
                row.pop(moving)
            if row["published_raw"] and not _YEAR.search(row["published_raw"]):
                row["published"] = "(relative)"  # "Сегодня, 10:15" moves with the calendar
            articles.append(row)
        failures = list(
            db.query("SELECT url, page, kind, status, error, retry FROM failures ORDER BY url")
        )
        crawl_row = next(db.query("SELECT * FROM crawls ORDER BY id DESC LIMIT 1"))
        counters = {
            name: crawl_row[name]
            for name in (
                "status",
                "exit_code",
                "list_pages",
                "list_failures",
                "article_pages",
                "articles_new",
                "articles_failed",
                "dates_unparsed",
                "views_unparsed",
                "summary",
            )
        }
        aliases = list(db.query("SELECT alias, url FROM url_aliases ORDER BY alias"))
        walks = [r["start_url"] for r in db.query("SELECT start_url FROM list_walks ORDER BY 1")]
        db.close()
    return _masked(
        {
            "returncode": result.returncode,
            "articles": articles,
            "failures": failures,
            "crawl": counters,
            "aliases": aliases,
            "walks": walks,
        }
    )


def crawl_key(layout: str, robots: str) -> str:
    return f"{layout}/{robots}"


def take() -> dict:
    return {
        "pages": saved_page_records(),
        "crawls": {crawl_key(*c): crawl_records(*c) for c in CRAWLS},
    }


def load() -> dict:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def save(snapshot: dict) -> None:
    data = json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True)
    with gzip.GzipFile(SNAPSHOT, "wb", mtime=0) as stream:
        stream.write(data.encode("utf-8"))


def differences(before, after, path: str = "") -> list[str]:
    """Where two snapshots differ, one line each (articles compared by URL)."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after)):
            if key not in after:
                found.append(f"{path}/{key}: gone")
            elif key not in before:
                found.append(f"{path}/{key}: new")
            else:
                found.extend(differences(before[key], after[key], f"{path}/{key}"))
        return found
    if isinstance(before, list) and isinstance(after, list) and before != after:
        if all(isinstance(r, dict) and "url" in r for r in before + after):
            return differences(
                {r["url"]: r for r in before}, {r["url"]: r for r in after}, path
            ) or [f"{path}: order differs"]
    if before != after:
        return [f"{path}: {str(before)[:200]!r} -> {str(after)[:200]!r}"]
    return []


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "save":
        save(take())
        print(f"saved {SNAPSHOT}")
        return 0
    found = differences(load(), take())
    print("\n".join(found) or "same records")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
