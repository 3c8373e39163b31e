"""The archive: the SQLite file the crawler fills and researchers read — its schema, the
writes that keep every version and view count, the history of crawls and failures, and
every way of reading it back (search, read-only SQL, statistics, exports).

No module here imports Scrapy or Twisted, nor anything from ``crawler`` except
``crawler.items`` (the :class:`~crawler.items.Article` record the store writes); the
crawl pipeline, the command line, benchmarks and tests import it alike. Nothing is
imported here: import the module you need.

Modules, in data-flow order (each imports only modules listed before it, except that
the schema builds the search index):

- :mod:`~crawler.archive.database` — opening the file: ``open_database``,
  ``default_db_path``, ``StorageError``, ``BUSY_TIMEOUT_MS``, ``utc_now``.
- :mod:`~crawler.archive.schema` — the tables and indexes, created when missing.
- :mod:`~crawler.archive.store` — ``ArchiveStore``: batched upserts with history,
  crawl bookkeeping, failures, redirect aliases, walked lists.
- :mod:`~crawler.archive.filters` — ``ArticleFilter`` and ``parse_date_bound``: which
  articles a reading command takes.
- :mod:`~crawler.archive.search` — the FTS5 index and stemmed full-text search.
- :mod:`~crawler.archive.query` — read-only SQL and printing its rows.
- :mod:`~crawler.archive.stats` — figures about the archive and their report.
- :mod:`~crawler.archive.export` — CSV and JSON Lines exports and the file they go to.
"""
