"""Smoke test of the benchmark's machinery (``bench/``): the bare spider fetches every
page the crawler stores, and the request clock and request kinds work."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import children, crawl
from crawler.fixture_site import FixtureSite

#: A real crawl, server or subprocess: deselect with -m "not e2e".
pytestmark = pytest.mark.e2e


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_bare_spider_fetches_every_expected_article():
    with FixtureSite(layout="mixed", articles_per_lang=12) as site:
        clock = crawl.RequestClock(site)
        child = children.python(*crawl.bare_command(site)).check()
        requests, window = clock.window()
        fetched = {path for _method, path, _status in site.request_log}
        expected = {_path(a["url"]) for a in site.expected_articles()}
    assert requests == len(site.request_log) and window > 0
    assert child.peak_rss_mb > 20
    # Tracking parameters stay on the bare spider's URLs: compare by prefix.
    missing = {path for path in expected if not any(f.startswith(path) for f in fetched)}
    assert not missing
    kinds = {crawl.classify(path) for path in fetched}
    assert {"robots", "list:ru", "list:kz", "list:en", "article"} <= kinds


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_child_figures_count_every_process_of_the_tree():
    """A crawl with page-reading workers is several processes: the peak RSS and CPU of
    the benchmark's children are summed over the whole tree."""
    grandchild = "b = bytearray(60 * 2**20); import time; time.sleep(1.5)"
    script = (
        "import subprocess, sys, time\n"
        f"p = subprocess.Popen([sys.executable, '-c', {grandchild!r}])\n"
        "a = bytearray(40 * 2**20)\n"
        "p.wait()\n"
    )
    child = children.python("-c", script).check()
    assert child.tree_peak_rss_mb >= 100  # 60 + 40 MB, plus two interpreters
    assert child.tree_peak_rss_mb > child.peak_rss_mb
    assert child.cpu_s > 0
