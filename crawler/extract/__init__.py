"""Extraction: pure functions and page objects, HTML in, data out.

No Scrapy, no Twisted, no SQLite: the modules here import lxml, parsel, w3lib,
dateparser, :mod:`crawler.items` and each other only, so the crawl, ``inspect``, the
page-reading workers, the benchmark and the tests all run exactly this code.

In data-flow order:

- :mod:`.fetched_page` — a fetched page's bytes → page type and record, or list links;
- :mod:`.document` — the parsed page (one lxml tree, indexes); :mod:`.regions` — page
  furniture (header, menus, sidebars...); :mod:`.text` — HTML → plain text;
- :mod:`.classify` — list, article or other (above both extractors);
- :mod:`.list_page` — a list page's links: :mod:`.listing` (its items) and
  :mod:`.pager` (its next page);
- :mod:`.article` — the article page object and its field rules;
- :mod:`.record` — raw fields → the stored record: :mod:`.dates`, :mod:`.views`;
- :mod:`.urls` — canonical URLs and sections; :mod:`.overrides` — site selectors;
  :mod:`.vocabulary` — every word the rules look for.
"""
