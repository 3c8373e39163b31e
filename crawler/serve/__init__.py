"""``news-archive serve``: the archive in a browser, through Datasette.

This package is the Datasette plugin (entry point ``datasette`` → ``crawler.serve``):
its hooks live in :mod:`crawler.serve.plugin` and are imported here, where Datasette
looks for them; ``templates/`` and ``static/`` beside it are the chart pages and the
Vega libraries they load. :mod:`crawler.serve.server` runs Datasette for the command.

Imports: datasette (through :mod:`crawler.serve.plugin`) and :mod:`crawler.serve`
modules.
"""

from crawler.serve.plugin import (
    canned_queries,
    get_metadata,
    menu_links,
    prepare_connection,
    register_facet_classes,
    register_routes,
)

__all__ = [
    "canned_queries",
    "get_metadata",
    "menu_links",
    "prepare_connection",
    "register_facet_classes",
    "register_routes",
]
