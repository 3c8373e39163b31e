"""The charts of ``news-archive serve``: Vega-Lite specs over the canned queries.

Each chart reads its rows from a canned query's JSON (``/<db>/<query>.json?_shape=
array``), so what a chart shows is what the query page lists. The specs are rendered in
the browser by Vega-Embed, served from this package (``static/``: vega, vega-lite and
vega-embed as published on npm, licences in ``static/LICENSES.txt``) — the page works
without the internet.

Imports: the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    description: str
    query: str  # the canned query that holds its rows
    spec: dict
    #: Request parameters passed on to the query (``url`` for one article).
    params: tuple[str, ...] = field(default=())


CHARTS = (
    Chart(
        "articles_per_month",
        "Articles per month by language",
        "How many articles were published each month, in each language.",
        "articles_per_month",
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {
                    "field": "month",
                    "type": "temporal",
                    "timeUnit": "yearmonth",
                    "title": "month",
                },
                "y": {"field": "articles", "type": "quantitative", "title": "articles"},
                "color": {"field": "lang", "type": "nominal", "title": "language"},
            },
        },
    ),
    Chart(
        "most_viewed",
        "The most viewed articles",
        "The 20 articles with the highest view count when last fetched.",
        "most_viewed",
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {
                    "field": "title",
                    "type": "nominal",
                    "sort": "-x",
                    "title": None,
                    "axis": {"labelLimit": 420},
                },
                "x": {"field": "views", "type": "quantitative", "title": "views"},
                "color": {"field": "lang", "type": "nominal", "title": "language"},
                "href": {"field": "url"},
            },
        },
    ),
    Chart(
        "view_count",
        "One article's view count over time",
        "The view counts the crawler saw for one article, fetch by fetch.",
        "view_count_history",
        {
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "seen_at",
                    "type": "temporal",
                    "title": "seen at (UTC)",
                    "axis": {"format": "%Y-%m-%d %H:%M", "labelAngle": -30},
                },
                "y": {"field": "views", "type": "quantitative", "title": "views"},
            },
        },
        params=("url",),
    ),
    Chart(
        "crawl_health",
        "Crawl health over time",
        "New, changed and failed articles in each run.",
        "crawl_health",
        {
            "transform": [
                {
                    "fold": ["articles_new", "articles_changed", "articles_failed"],
                    "as": ["counter", "articles"],
                }
            ],
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "id",
                    "type": "ordinal",
                    "title": "crawl",
                    "axis": {"labelAngle": 0},
                },
                "y": {"field": "articles", "type": "quantitative", "title": "articles"},
                "color": {
                    "field": "counter",
                    "type": "nominal",
                    "title": None,
                    "scale": {
                        "domain": ["articles_new", "articles_changed", "articles_failed"],
                        "range": ["#2f7ebc", "#e8a33d", "#d1423b"],
                    },
                },
            },
        },
    ),
)

CHARTS_BY_NAME = {chart.name: chart for chart in CHARTS}


def chart_spec(chart: Chart, data_url: str) -> dict:
    """The full Vega-Lite spec of ``chart`` reading its rows from ``data_url``."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 360,
        "data": {"url": data_url, "name": "rows", "format": {"type": "json"}},
        **chart.spec,
    }
