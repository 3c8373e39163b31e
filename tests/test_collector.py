"""The crawl's garbage-collector threshold: set when the spider opens, restored when it
closes; 0 leaves Python's own. The benchmark's bare spider applies the same value."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from bench import crawl
from bench.bare_spider import main as bare_main
from crawler.collector import CollectorTuning


@pytest.fixture
def restore_gc():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_threshold_is_set_for_the_crawl_and_restored(restore_gc):
    gc.set_threshold(700, 10, 10)
    crawler = get_crawler(settings_dict={"NEWS_ARCHIVE_GC_THRESHOLD": 12_345})
    extension = CollectorTuning.from_crawler(crawler)
    extension.spider_opened()
    assert gc.get_threshold() == (12_345, 10, 10)
    extension.spider_closed()
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("value", [0, -5])
def test_zero_leaves_pythons_own(value):
    with pytest.raises(NotConfigured):
        CollectorTuning.from_crawler(
            get_crawler(settings_dict={"NEWS_ARCHIVE_GC_THRESHOLD": value})
        )


def test_project_settings_enable_it():
    from crawler import settings

    assert settings.EXTENSIONS.get("crawler.collector.CollectorTuning") is not None
    assert settings.NEWS_ARCHIVE_GC_THRESHOLD > 700


def test_bare_spider_gets_the_same_threshold(restore_gc, monkeypatch):
    """Both sides of the benchmark run with the crawler's threshold; the bare spider
    takes it from the shared settings and does not hand it to Scrapy."""
    assert crawl.SHARED_SETTINGS["NEWS_ARCHIVE_GC_THRESHOLD"] == "10000"
    seen = {}

    class Stop(Exception):
        pass

    def fake_process(settings):
        seen["settings"] = dict(settings)
        seen["threshold"] = gc.get_threshold()[0]
        raise Stop

    monkeypatch.setattr("scrapy.crawler.CrawlerProcess", fake_process)
    with pytest.raises(Stop):
        bare_main(
            ["--start-url", "http://127.0.0.1:1/ru/news/", "-s", "NEWS_ARCHIVE_GC_THRESHOLD=10000"]
        )
    assert seen["threshold"] == 10000
    assert "NEWS_ARCHIVE_GC_THRESHOLD" not in seen["settings"]
