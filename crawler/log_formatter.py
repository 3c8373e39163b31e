"""Scrapy's log formatter, minus the per-item "Scraped from <url>" record when nobody
can see it.

Scrapy builds that DEBUG record (the whole item in its message arguments) for every
item and hands it to the logging system, which drops it when the crawl logs at INFO
(the default here). Returning None skips it; at LOG_LEVEL=DEBUG it is logged as usual.

Imports scrapy.
"""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


class ArchiveLogFormatter(LogFormatter):
    def __init__(self, log_items: bool = True) -> None:
        super().__init__()
        self.log_items = log_items

    @classmethod
    def from_crawler(cls, crawler):
        level = crawler.settings.get("LOG_LEVEL", "DEBUG")
        if isinstance(level, str):
            level = logging.getLevelName(level.upper())
        return cls(log_items=not isinstance(level, int) or level <= logging.DEBUG)

    def scraped(self, item, response, spider):
        return super().scraped(item, response, spider) if self.log_items else None
