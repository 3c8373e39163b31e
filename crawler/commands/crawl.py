"""``scrapy crawl``, exiting with the run's verdict like ``news-archive crawl``.

Scrapy's own command exits 0 whenever the crawl started; this one exits with the exit
status the storage pipeline judged (:mod:`crawler.health`: 3 locked, 4 database, 5
unhealthy...), so cron, CI and Scrapyd (its log names a job's non-zero exit status)
see what went wrong. Anything else is Scrapy's command unchanged.

Imports scrapy.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            super().run(args, opts)
            return
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats is not None:
            self.exitcode = int(crawler.stats.get_value("news/exit_code") or 0)
