"""Scrapy settings for news-archive: polite by default on a real site.

Tests and the demo pass ``-s`` overrides (no delay, no AutoThrottle) to run fast.

Imports :mod:`crawler.archive.database`, :mod:`crawler.archive.export`.
"""

from __future__ import annotations

from crawler.archive.database import default_db_path
from crawler.archive.export import ARTICLE_ORDER

BOT_NAME = "news-archive"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identify ourselves and give the site owner a way to reach us.
USER_AGENT = (
    "news-archive/0.1 (+https://github.com/news-archive/news-archive; "
    "archive crawler for Bitrix news sites)"
)

# Obey robots.txt; the spider reaches the archive through the announced sitemaps
# when robots.txt bars the pagination.
ROBOTSTXT_OBEY = True

# One request at a time per site, with a delay that AutoThrottle adapts to the
# server's latency.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Give a slow page time to answer, but not forever.
DOWNLOAD_TIMEOUT = 30

# Keep cookies: Bitrix counts one view per PHP session, so a crawler that drops the
# session cookie adds a view to every page it fetches.
COOKIES_ENABLED = True

# Retry overloaded and failing servers, waiting longer each time (see
# crawler.middlewares.BackoffRetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry; doubled each time
RETRY_BACKOFF_MAX = 60.0  # never wait longer than this between two tries
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Next to the downloader: sees every response before redirects and decompression.
    "crawler.middlewares.WarcMiddleware": 950,
}

# Count each article's fields (warn about unreadable dates and counters), then store
# it in SQLite.
ITEM_PIPELINES = {
    "crawler.pipelines.FieldStatsPipeline": 300,
    "crawler.pipelines.SQLitePipeline": 800,
}

# Items are handled one at a time: the pipeline batches writes itself, and Scrapy's
# default of 100 concurrent item tasks per callback only costs time (scrapy #5182).
CONCURRENT_ITEMS = 1

# The archive database; the CLI's --db and the NEWS_ARCHIVE_DB variable override it.
NEWS_ARCHIVE_DB = str(default_db_path())
# Site profile (start URLs, optional selector overrides) from crawler.site_profiles.
NEWS_ARCHIVE_PROFILE = "assembly.kz"
# Walk every list page and refetch every article instead of only what is new.
NEWS_ARCHIVE_FULL = False
# Also refetch articles published in the last N days (to follow their view counts).
NEWS_ARCHIVE_REFRESH_DAYS = 3
# Writes are batched: a batch is committed after this many items or seconds.
NEWS_ARCHIVE_BATCH_SIZE = 200
NEWS_ARCHIVE_COMMIT_SECONDS = 2.0
# A batch waits this many seconds for another writer's lock (a researcher's write, a
# backup) before the crawl stops with exit status 4.
NEWS_ARCHIVE_BUSY_TIMEOUT = 10.0

# Extract pages (parse, extraction, normalisation) in this many worker processes beside
# Scrapy's own (crawler.page_workers.PageWorkersExtension): "auto" = one per spare core,
# at most 2; 0 = always in the crawl's process. Started once a crawl has more than
# NEWS_ARCHIVE_PARSE_AFTER pages to read, so small cron runs never start them, and under
# "auto" never at a delay of 0.5 s or more (the polite defaults above). Only a
# fast crawl (a mirror, a replay) gains; the records are the same either way.
NEWS_ARCHIVE_PARSE_PROCESSES = "auto"
NEWS_ARCHIVE_PARSE_AFTER = 20

# Python's garbage collector looks at young objects every this many net allocations
# during a crawl (Python's default is 700: about 8 % of the reactor's CPU in a fast
# crawl; see crawler/collector.py). 0 leaves Python's default.
NEWS_ARCHIVE_GC_THRESHOLD = 10_000
EXTENSIONS = {
    "crawler.collector.CollectorTuning": 0,
    "crawler.page_workers.PageWorkersExtension": 0,
}

# Write every fetched response to this gzip WARC file (empty: no WARC). CLI: --warc.
NEWS_ARCHIVE_WARC = ""

# Feeds (scrapy crawl news -O items.csv) in UTF-8, Cyrillic as is.
FEED_EXPORT_ENCODING = "utf-8"
# Feeds have the columns of `news-archive export`, in its order: the record's fetch time
# is its last_seen; first_seen and version, which only the archive knows, stay empty.
FEED_EXPORT_FIELDS = {("fetched_at" if n == "last_seen" else n): n for n in ARTICLE_ORDER}

LOG_LEVEL = "INFO"
# No per-item "Scraped from" DEBUG record unless LOG_LEVEL is DEBUG.
LOG_FORMATTER = "crawler.log_formatter.ArchiveLogFormatter"
