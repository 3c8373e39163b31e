"""The Datasette plugin: what Datasette shows on a news archive.

Registered through the ``datasette`` entry point (package :mod:`crawler.serve`), so it
works under ``news-archive serve`` and under a plain ``datasette archive.db`` alike. It
acts only on databases that are news archives (an ``articles`` and a ``crawls``
table); other databases are left alone.

- SQL function ``stemmed_match(text [, lang])``: the FTS5 expression of
  ``news-archive search`` (:func:`crawler.archive.search.match_expression`); the
  ``search`` canned query ranks with it exactly as the command does.
- The table search box of an archive stems too: ``escape_fts`` — Datasette's quoting of
  what is typed — is replaced on an archive's connections by ``stemmed_match`` (text
  with no word falls back to Datasette's quoting).
- Metadata (:mod:`crawler.serve.metadata`), canned queries
  (:mod:`crawler.serve.queries`), a year facet, and chart pages at
  ``/<db>/-/charts`` (:mod:`crawler.serve.charts`).

Imports: the standard library, datasette, :mod:`crawler.archive.search` and
:mod:`crawler.serve` modules.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from urllib.parse import urlencode

from datasette import Response, hookimpl
from datasette.facets import DateFacet
from datasette.utils import escape_fts, escape_sqlite, path_with_added_args
from datasette.utils import path_with_removed_args as without_args

from crawler.archive.search import SearchError, match_expression
from crawler.serve import queries
from crawler.serve.charts import CHARTS, CHARTS_BY_NAME, chart_spec
from crawler.serve.metadata import ARCHIVE_TABLES, archive_metadata

#: The name Datasette serves this package's ``static/`` under.
STATIC = "news_archive"


#: An FTS5 expression that matches nothing (an empty phrase), without an error.
NOTHING = '""'


def _expression(text: str | None, lang: str | None = None) -> str | None:
    if not text:
        return None
    try:
        return match_expression(text, lang or None)
    except SearchError:
        return None


def stemmed_match(text: str | None, lang: str | None = None) -> str:
    """``news-archive search``'s MATCH expression for ``text`` (optionally as in
    ``--lang``); an expression matching nothing when ``text`` holds no word."""
    return _expression(text, lang) or NOTHING


def _stemmed_escape_fts(text: str) -> str:
    """Datasette's ``escape_fts`` for an archive: stemmed, like the command line."""
    return _expression(text) or escape_fts(text)


def is_archive_connection(conn: sqlite3.Connection) -> bool:
    names = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
            ARCHIVE_TABLES,
        )
    }
    return names == set(ARCHIVE_TABLES)


@cache
def _is_archive_file(path: str) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return is_archive_connection(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def archive_names(datasette) -> list[str]:
    """The attached databases that are news archives."""
    return [
        name
        for name, db in datasette.databases.items()
        if db.path and not db.is_memory and _is_archive_file(str(db.path))
    ]


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so this one wins
def prepare_connection(conn, database, datasette):
    conn.create_function("stemmed_match", 1, stemmed_match, deterministic=True)
    conn.create_function("stemmed_match", 2, stemmed_match, deterministic=True)
    try:
        archive = is_archive_connection(conn)
    except sqlite3.Error:
        archive = False
    if archive:
        conn.create_function("escape_fts", 1, _stemmed_escape_fts, deterministic=True)


@cache
def _metadata(names: tuple[tuple[str, str], ...]) -> dict:
    return archive_metadata(dict(names))


@hookimpl
def get_metadata(datasette, key, database, table):
    names = archive_names(datasette)
    if not names:
        return {}
    return _metadata(tuple((name, str(datasette.databases[name].path)) for name in names))


@hookimpl
def canned_queries(datasette, database, actor):
    if database in archive_names(datasette):
        return queries.canned_queries()
    return None


class YearFacet(DateFacet):
    """Facet by the year of an ISO date column (``_facet_year=published``); choosing a
    year filters ``published__startswith=YYYY``."""

    type = "year"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = f"""
                SELECT substr({col}, 1, 4) AS value, count(*) AS count FROM ({self.sql})
                WHERE {col} GLOB '[0-9][0-9][0-9][0-9]*'
                GROUP BY value ORDER BY value DESC LIMIT {size + 1}
            """
            rows = await self.ds.execute(
                self.database,
                sql,
                self.params,
                truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms"),
            )
            values = []
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": without_args(self.request, {"_facet_year": column}),
                    "truncated": len(rows) > size,
                }
            )
            selected_year = args.get(f"{column}__startswith")
            for row in rows.rows[:size]:
                selected = selected_year == row["value"]
                change = {f"{column}__startswith": row["value"]}
                path = (
                    without_args(self.request, change)
                    if selected
                    else path_with_added_args(self.request, change)
                )
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [YearFacet]


# -- charts ----------------------------------------------------------------------


async def charts_index(datasette, request):
    database = request.url_vars["database"]
    if database not in archive_names(datasette):
        return Response.text("not a news archive", status=404)
    return Response.html(
        await datasette.render_template(
            "news_archive_charts.html",
            {"database": database, "charts": CHARTS},
            request=request,
        )
    )


async def chart_page(datasette, request):
    database = request.url_vars["database"]
    chart = CHARTS_BY_NAME.get(request.url_vars["chart"])
    if chart is None or database not in archive_names(datasette):
        return Response.text("no such chart", status=404)
    params = {name: request.args.get(name, "") for name in chart.params}
    if "url" in params and not params["url"]:
        params["url"] = await _article_with_most_counts(datasette, database)
    query_path = datasette.urls.database(database) + "/" + chart.query
    data_url = f"{query_path}.json?" + urlencode({"_shape": "array", **params})
    page_url = query_path + ("?" + urlencode(params) if params else "")
    return Response.html(
        await datasette.render_template(
            "news_archive_chart.html",
            {
                "database": database,
                "chart": chart,
                "params": params,
                "query_url": page_url,
                "spec_json": json.dumps(chart_spec(chart, data_url), ensure_ascii=False),
                "static": lambda name: datasette.urls.static_plugins(STATIC, name),
            },
            request=request,
        )
    )


async def _article_with_most_counts(datasette, database: str) -> str:
    """The article with the longest series of view counts (the chart's default)."""
    rows = await datasette.get_database(database).execute(
        "SELECT url FROM view_counts GROUP BY url ORDER BY count(*) DESC, max(views) DESC LIMIT 1"
    )
    return rows.first()[0] if rows.first() else ""


@hookimpl
def register_routes(datasette):
    return [
        (r"^/(?P<database>[^/]+)/-/charts$", charts_index),
        (r"^/(?P<database>[^/]+)/-/charts/(?P<chart>[a-z_]+)$", chart_page),
    ]


@hookimpl
def menu_links(datasette, actor, request):
    return [
        {"href": datasette.urls.database(name) + "/-/charts", "label": f"Charts: {name}"}
        for name in archive_names(datasette)
    ]
