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
# `scrapy crawl news` exits with the run's verdict (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"

# Identify ourselves and give the site owner a way to reach us.
USER_AGENT = (
    "news-archive/0.1 (+https://github.com/news-archive/news-archive; "
    "archive crawler for Bitrix news sites)"
)

# Obey robots.txt; the spider reaches the archive through the announced sitemaps
# when robots.txt bars the pagination.
ROBOTSTXT_OBEY = True

# One request at a time per site, with a delay that AutoThrottle adapts to the
# server's latency (never below the site's own delay in the sites file: one download
# slot per host, crawler/throttle.py). A crawl of many sites raises CONCURRENT_REQUESTS
# to what they allow together, so every site is fetched at once.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# A news page answers in well under a second; a server that takes longer than this
# for one page (or trickles it byte by byte) is given up and the page retried next
# run. With RETRY_TIMES tries a stuck page holds the crawl at most 4 x 15 s.
DOWNLOAD_TIMEOUT = 15

# News pages are tens of kilobytes: refuse anything over 8 MB (also after gzip or
# brotli decompression, so a compression bomb stops there), and log one over 2 MB.
# Scrapy's defaults (1 GiB / 32 MB) let one hostile answer take gigabytes of memory.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# At most this many redirects per request (Scrapy's default is 20, Firefox's): a
# Bitrix site redirects an old URL once or twice.
REDIRECT_MAX_TIMES = 5

# Open no listening socket: Scrapy's Telnet console and its remote-control HTTP server
# (2.19: runs Python code sent to it, token files under ~/.local/state/scrapy/) are
# for interactive debugging, not for an unattended cron job.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Keep cookies: Bitrix counts one view per PHP session, so a crawler that drops the
# session cookie adds a view to every page it fetches.
COOKIES_ENABLED = True

# Retry overloaded and failing servers, and slow the whole host down when it refuses
# (429/503, Retry-After): no request to it before the back-off ends, then a pace that
# recovers gradually (see crawler.middlewares.BackoffRetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry; doubled each time
RETRY_BACKOFF_MAX = 60.0  # never wait longer than this between two tries
# A Retry-After longer than this (seconds) ends the run (unhealthy) instead of waiting.
NEWS_ARCHIVE_RETRY_AFTER_MAX = 600.0
# A host that refuses (429/503) this many answers in a row ends the run (unhealthy).
NEWS_ARCHIVE_MAX_REFUSALS = 10
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Before Scrapy's redirect middleware (600) sees the answer: only the start host.
    "crawler.middlewares.OffHostRedirectMiddleware": 610,
    # Next to the downloader: sees every response before redirects and decompression.
    "crawler.middlewares.WarcMiddleware": 950,
}

# Walk at most this many pages of one news list per run: a pager that never ends (new
# links on every page, a calendar) stops there, and the run is unhealthy (exit 5).
NEWS_ARCHIVE_MAX_LIST_PAGES = 2000

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
# The sites file (TOML: start URLs, time zone, politeness, selector overrides of each
# site; crawler/site_profiles.py reads it). Empty: $NEWS_ARCHIVE_SITES, else the bundled
# crawler/sites.toml (assembly.kz). CLI: --sites FILE; Scrapyd: -d sites=FILE.
NEWS_ARCHIVE_SITES = ""
# Crawl only these sites of the file (comma-separated names; empty: all of them).
# CLI: --site NAME (repeatable); Scrapyd: -d site=NAME.
NEWS_ARCHIVE_SITE = ""
# The site's time zone (IANA name): "Сегодня"/"Вчера" on a page are read as days on the
# site's clock at the moment of the fetch, not this machine's. Empty: the zone in the
# sites file (assembly.kz: Asia/Almaty), this machine's for a site without one.
NEWS_ARCHIVE_TIME_ZONE = ""
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
# "auto" never at a delay of 0.5 s or more between requests (the polite defaults
# above; the sites file's own delays count together: 50 sites at 0.2 s are 4 ms).
# Only a fast crawl (a mirror, a replay, many sites) gains; the records are the same.
NEWS_ARCHIVE_PARSE_PROCESSES = "auto"
NEWS_ARCHIVE_PARSE_AFTER = 20

# Python's garbage collector looks at young objects every this many net allocations
# during a crawl (Python's default is 700: about 8 % of the reactor's CPU in a fast
# crawl; see crawler/collector.py). 0 leaves Python's default.
NEWS_ARCHIVE_GC_THRESHOLD = 10_000
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.SiteAutoThrottle": 0,
    "crawler.collector.CollectorTuning": 0,
    "crawler.page_workers.PageWorkersExtension": 0,
}

# Take over an existing SQLite file that holds other tables than an archive's (CLI:
# --adopt). Off: such a file is refused with exit status 4, untouched.
NEWS_ARCHIVE_ADOPT = False

# Keep every fetched response as a raw capture (WARC), the primary record that
# `news-archive reparse` re-extracts without touching the site. CLI: --no-warc.
NEWS_ARCHIVE_CAPTURE = True
# Where: one set of files per crawl in this folder (empty: beside the archive,
# archive.db -> archive.warc/), a new file after this many bytes.
NEWS_ARCHIVE_WARC_DIR = ""
NEWS_ARCHIVE_WARC_MAX_BYTES = 1_000_000_000
# Or append everything to this one gzip WARC file instead. CLI: --warc PATH.
NEWS_ARCHIVE_WARC = ""
# Also capture each new article's own images (same host, at most this many bytes
# each), so a replay shows the article as it looked. CLI: --images.
NEWS_ARCHIVE_IMAGES = False
NEWS_ARCHIVE_IMAGE_MAXSIZE = 10_000_000

# Feeds (scrapy crawl news -O items.csv) in UTF-8, Cyrillic as is.
FEED_EXPORT_ENCODING = "utf-8"
# Feeds have the columns of `news-archive export`, in its order: the record's fetch time
# is its last_seen; first_seen and version, which only the archive knows, stay empty.
FEED_EXPORT_FIELDS = {("fetched_at" if n == "last_seen" else n): n for n in ARTICLE_ORDER}

LOG_LEVEL = "INFO"
# No per-item "Scraped from" DEBUG record unless LOG_LEVEL is DEBUG.
LOG_FORMATTER = "crawler.log_formatter.ArchiveLogFormatter"
