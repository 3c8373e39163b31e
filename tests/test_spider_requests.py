"""The order the spider asks for pages in: the list walk runs ahead of the articles in
runs of LIST_RUN pages, then waits for the articles queued so far."""

from __future__ import annotations

from spiders.news import LIST_RUN, NewsSpider

START = "https://example.kz/ru/news/"


def spider() -> NewsSpider:
    found = NewsSpider.__new__(NewsSpider)  # no crawler needed to build requests
    found.scheduled = set()

    class Workers:
        def expect(self, pages: int = 1) -> None:
            pass

    found.workers = Workers()
    return found


def test_list_pages_run_ahead_of_articles_in_runs():
    news = spider()
    article = news.article_request(f"{START}some-article/", START).priority
    pages = range(1, 2 * LIST_RUN + 2)
    priorities = [news.list_request(f"{START}?PAGEN_1={n}", START, n).priority for n in pages]
    # The first page of each run waits for the articles queued before it ...
    assert [p < article for p in priorities] == [n % LIST_RUN == 1 for n in pages]
    # ... the others are fetched before them, so the walk never leaves the queue empty.
    assert all(p > article for n, p in zip(pages, priorities, strict=True) if n % LIST_RUN != 1)
    assert 2 <= LIST_RUN <= 8  # a run's articles are all the queue holds per list


def test_page_number_travels_with_the_request():
    news = spider()
    request = news.list_request(f"{START}?PAGEN_1=7", START, 7)
    assert request.cb_kwargs == {"start_url": START, "number": 7}
