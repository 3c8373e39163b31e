"""Smoke test of the benchmark's machinery (``bench/``): the bare spider fetches every
page the crawler stores, the request clock and request kinds work, and ``bench.merge``
gives consistent figures in its quick mode, and so does ``bench.many_sites``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench import children, crawl, many_sites
from bench import merge as bench_merge
from crawler.fixture_site import FixtureSite


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.e2e
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


@pytest.mark.e2e
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


def test_merge_benchmark_quick_figures_add_up(tmp_path, capsys):
    """``python -m bench.merge --quick``: two small node archives, merged twice by the
    real CLI; the output is the union of the inputs' URLs and the second merge changes
    nothing."""
    articles = bench_merge.QUICK_ARTICLES
    plan = bench_merge.Plan(articles, articles // 10)
    lines: list[str] = []
    results = bench_merge.measure(tmp_path, plan, log=lines.append)
    assert results["ok"], "\n".join(lines)
    assert all(results["checks"].values())
    a, b = results["inputs"]["a"], results["inputs"]["b"]
    assert a["articles"] == b["articles"] == articles
    assert results["shared"] == plan.shared
    union = 2 * articles - plan.shared
    assert results["output"]["articles"] == results["expected"]["articles"] == union
    assert results["first"]["report"]["articles"] == union
    # both sides' histories: more versions and view counts than either side alone
    for table in ("article_versions", "view_counts"):
        assert max(a[table], b[table]) < results["output"][table] <= a[table] + b[table]
    assert results["output"]["crawls"] == a["crawls"] + b["crawls"] == 6
    assert results["first"]["report"]["updated"] > 0  # B's newer fetches of shared URLs
    assert results["second"]["report"]["added"] == 0
    assert results["first"]["wall_s"] > 0 and results["first"]["peak_rss_mb"] > 10
    assert "OK: every check passed" in lines
    # the command line reuses the archives kept in DIR and exits 0
    assert bench_merge.main(["--quick", "--keep", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "reusing the archives" in printed and "OK: every check passed" in printed


@pytest.mark.e2e
def test_many_sites_benchmark_quick_figures_add_up(tmp_path):
    """``python -m bench.many_sites --quick``: 4 fixture sites on their own loopback
    addresses in one crawl, and one of them alone; every site complete, exit 0, and
    each site's pace at its delay."""
    args = many_sites.parse_args(["--quick"])
    lines: list[str] = []
    results = many_sites.measure(args, tmp_path, log=lines.append)
    assert results["ok"], "\n".join(lines)
    many, (single,) = results["many"], results["singles"]
    assert many["returncode"] == single["returncode"] == 0
    assert many["sites"] == args.sites == 4 and len(many["per_site"]) == 4
    per_site = list(many["per_site"].values())
    assert all(s["complete"] and s["articles"] == s["expected"] == 36 for s in per_site)
    assert all(s["verdict"] == "ok" for s in per_site)
    # The same sites with their faults used up: every site asks for the same pages, in
    # the crawl of all of them as alone.
    (alone,) = single["per_site"].values()
    assert {s["requests"] for s in per_site} == {alone["requests"]}
    assert many["requests"] == args.sites * alone["requests"]
    assert many["requests_to_other_sites"] == single["requests_to_other_sites"] == 0
    # Each site's pace: never more than one request over 1 / delay in a second (arrival
    # jitter), and on average no faster than its delay.
    limit = 1 / args.delay
    for site in [*per_site, alone]:
        assert 0 < site["min_gap_s"] <= site["mean_gap_s"]
        assert site["max_per_1s"] <= limit + 1 and site["max_per_5s"] <= 5 * limit + 1
        assert site["mean_gap_s"] >= 0.95 * args.delay
        assert site["span_s"] >= 0.95 * args.delay * (site["requests"] - 1)
    assert results["worst_site"]["max_per_1s"] == max(s["max_per_1s"] for s in per_site)
    # The ratio is the two wall times; four sites at once take about as long as one.
    assert results["ratio"] == pytest.approx(many["wall_s"] / single["wall_s"])
    assert results["ratio"] < 2
    assert many["tree_peak_rss_mb"] > 20 and many["requests_per_s"] > 0
