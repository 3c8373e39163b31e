"""Named SQL queries on the archive: README's five useful queries, the ranked stemmed
search, and the data behind each chart — Datasette's canned queries.

README's "Five useful queries" block is :func:`readme_queries` (a test keeps them
equal), so the queries a researcher copies from README and the ones Datasette offers
are the same. Parameters (``:url``, ``:q``) are Datasette's; README shows query 3 with
an example URL in their place.

Imports: the standard library and :mod:`crawler.archive.search` (the ranking weights).
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.archive.search import BODY_WEIGHT, FTS_TABLE, HIGHLIGHT, SNIPPET_WORDS, TITLE_WEIGHT


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    sql: str
    description: str = ""


#: README's five useful queries, in README's order.
USEFUL_QUERIES = (
    Query(
        "articles_per_month",
        "1. Articles per month and language",
        """SELECT substr(published, 1, 7) AS month, lang, count(*) AS articles
FROM articles WHERE published IS NOT NULL GROUP BY month, lang ORDER BY month, lang;""",
    ),
    Query(
        "most_viewed_2023",
        "2. The 20 most viewed articles published in 2023",
        """SELECT published, lang, views, title, url FROM articles
WHERE published >= '2023-01-01' AND published < '2024-01-01'
ORDER BY views DESC LIMIT 20;""",
    ),
    Query(
        "view_count_history",
        "3. How the view count of one article grew",
        """SELECT seen_at, views FROM view_counts
WHERE url = :url ORDER BY seen_at;""",
        "Paste an article's URL (from the articles table).",
    ),
    Query(
        "edited_articles",
        "4. Articles edited after their first fetch, with the title they had first",
        """SELECT a.url, v.title AS first_title, a.title AS current_title, a.version
FROM articles AS a JOIN article_versions AS v ON v.url = a.url AND v.version = 1
WHERE a.version > 1 ORDER BY a.last_seen DESC;""",
    ),
    Query(
        "mediation_per_year",
        "5. Articles mentioning mediation in any form, per year and language",
        """SELECT substr(a.published, 1, 4) AS year, a.lang, count(*) AS articles
FROM articles_fts JOIN articles AS a ON a.rowid = articles_fts.rowid
WHERE articles_fts MATCH 'медиац* OR медиатор* OR mediat*'
GROUP BY year, a.lang ORDER BY year, a.lang;""",
    ),
)

#: What README shows in place of query 3's ``:url``.
README_EXAMPLE_URL = "'https://assembly.kz/ru/news/…/'"

#: Ranked, stemmed full-text search: the rows and order of ``news-archive search``
#: (``stemmed_match`` is the plugin's SQL function; bm25 with the same weights).
SEARCH = Query(
    "search",
    "Search articles (any inflected form)",
    f"""SELECT a.published, a.lang, a.title, a.url,
  snippet({FTS_TABLE}, 1, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '…', {SNIPPET_WORDS}) AS snippet
FROM {FTS_TABLE} JOIN articles AS a ON a.rowid = {FTS_TABLE}.rowid
WHERE {FTS_TABLE} MATCH stemmed_match(:q)
  AND {FTS_TABLE}.rank MATCH 'bm25({TITLE_WEIGHT}, {BODY_WEIGHT})'
ORDER BY {FTS_TABLE}.rank
LIMIT 100;""",
    "Every word must occur, in any inflected form (медиация also finds медиации); "
    'a "quoted phrase" matches exactly. The 100 best matches first, ranked as news-archive search.',
)

#: The data of the charts (:mod:`crawler.serve.charts`).
CHART_QUERIES = (
    Query(
        "most_viewed",
        "The 20 most viewed articles",
        """SELECT title, views, published, lang, url FROM articles
WHERE views IS NOT NULL ORDER BY views DESC LIMIT 20;""",
    ),
    Query(
        "crawl_health",
        "Crawl health: new, changed and failed articles per run",
        """SELECT id, started_at, status, articles_new, articles_changed, articles_failed,
  list_failures FROM crawls ORDER BY id;""",
    ),
)

ALL_QUERIES = (*USEFUL_QUERIES, SEARCH, *CHART_QUERIES)


def readme_queries() -> str:
    """README's block of five queries (query 3 with an example URL)."""
    blocks = []
    for query in USEFUL_QUERIES:
        title = query.title.split(" ", 1)[1]
        number = query.title.split(".")[0]
        sql = query.sql.replace(":url", README_EXAMPLE_URL)
        blocks.append(f"-- {number}. {title}\n{sql}")
    return "\n\n".join(blocks)


def canned_queries() -> dict[str, dict]:
    """Datasette's ``queries`` metadata for an archive."""
    queries = {}
    for query in ALL_QUERIES:
        queries[query.name] = {"title": query.title, "sql": query.sql}
        if query.description:
            queries[query.name]["description"] = query.description
    return queries
