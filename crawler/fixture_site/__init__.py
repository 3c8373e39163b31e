"""The local fixture site: a generated Bitrix-family news archive served over HTTP.

>>> with FixtureSite(layout="mixed", robots="open", articles_per_lang=60) as site:
...     site.start_urls            # [ru, kk, en] news lists
...     site.expected_articles()   # what a correct crawl stores

Modules: :mod:`.content` (the article model), :mod:`.templates` / :mod:`.pages` (HTML per
markup family), :mod:`.feeds` (robots, sitemaps, RSS), :mod:`.server` (HTTP, routing,
faults, request log), :mod:`.faults` (what goes wrong where), :mod:`.expected` (the
records a correct crawler stores).

Imports :mod:`.site`.
"""

from __future__ import annotations

from .site import FixtureSite

__all__ = ["FixtureSite"]
