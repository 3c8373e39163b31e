"""``python -m bench.run``: where the crawler's time goes, on this machine, in one run.

1. Starts the fixture site with a large archive (``--articles-per-lang`` × 3 languages,
   ``--layout mixed``: one markup family per language).
2. Crawls it with the bare Scrapy spider (:mod:`bench.bare_spider`) and with the full
   crawler (``news-archive crawl`` into a fresh database), alternating, ``--rounds``
   rounds, the same Scrapy settings on both sides (:data:`bench.crawl.SHARED_SETTINGS`);
   pages/s of each and the median ratio full/bare.
3. Cost of each stage per article, timing the pure functions on pages saved from the
   site (:mod:`bench.stages`).
4. An incremental crawl of the unchanged site into the last full crawl's database:
   requests by kind and wall-clock seconds including start-up.
5. ``news-archive export`` of a ``--export-articles`` archive to CSV and JSON Lines:
   seconds and peak RSS; search latency (median, p95) over fixed queries
   (:mod:`bench.archive`).
6. Peak RSS of the full crawl (and of the bare spider, for comparison).

Figures go to the terminal and to ``bench/results/latest.json`` (``--json``).
``--quick`` runs everything small, once (a smoke test of the machinery, ~30 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import archive, children, crawl, stages
from crawler.fixture_site.content import Archive

RESULTS = Path(__file__).resolve().parent / "results"

#: name -> (figure path in the results, comparison, target, unit)
TARGETS = {
    "full / bare pages/s": (("crawl", "ratio_full_bare"), ">=", 0.9, "×"),
    "dates, known formats": (("stages", "known_dates_per_s"), ">=", 200_000, "/s"),
    "incremental: list pages per language": (("incremental", "max_list_pages"), "<=", 1, ""),
    "incremental: wall incl. start-up": (("incremental", "wall_s"), "<", 3.0, "s"),
    "export CSV: seconds": (("export", "csv", "wall_s"), "<=", 5.0, "s"),
    "export CSV: peak RSS": (("export", "csv", "peak_rss_mb"), "<=", 100, "MB"),
    "export xlsx: peak RSS": (("export", "xlsx", "peak_rss_mb"), "<=", 100, "MB"),
    "search: median latency": (("search", "median_ms"), "<=", 20.0, "ms"),
    "crawl: peak RSS": (("crawl", "full_peak_rss_mb"), "<=", 250, "MB"),
    "reparse: pages/s": (("reparse", "pages_per_s"), ">=", 600, "/s"),
    "reparse: peak RSS": (("reparse", "peak_rss_mb"), "<=", 250, "MB"),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Benchmark the crawler against the bare Scrapy spider. "
        "Example: python -m bench.run --rounds 5",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small archive, one round, small export: a smoke run"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="bare/full crawl rounds (default 5; 1 with --quick)",
    )
    parser.add_argument(
        "--articles-per-lang",
        type=int,
        default=None,
        help="fixture archive size per language (default 1700; 100 with --quick)",
    )
    parser.add_argument(
        "--layout", default="mixed", choices=["mixed", "default", "custom", "modern"]
    )
    parser.add_argument(
        "--export-articles",
        type=int,
        default=None,
        help="size of the export/search archive (default 100000; 5000 quick)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["crawl", "stages", "incremental", "reparse", "export"],
        help="leave a part out (repeatable)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS / "latest.json",
        help="where to write the figures [bench/results/latest.json]",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.rounds = args.rounds or (1 if quick else 5)
    args.articles_per_lang = args.articles_per_lang or (100 if quick else 1700)
    args.export_articles = args.export_articles or (5_000 if quick else 100_000)
    args.stage_articles = 20 if quick else 100
    args.search_repeats = 3 if quick else 5
    args.incremental_runs = 1 if quick else 3
    return args


def machine() -> dict:
    """What the figures were measured on."""
    import lxml.etree
    import scrapy
    import twisted

    model = next(
        (line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "twisted": twisted.__version__,
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
        "sqlite": sqlite3.sqlite_version,
        "sqlite_utils": _version("sqlite-utils"),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
        "rss_source": children.RSS_SOURCE,
    }


def _cpuinfo() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run_crawls(args: argparse.Namespace, results: dict, workdir: Path) -> Archive:
    """Parts 1-4, all on one fixture site; return its archive (words for part 5)."""
    from crawler.fixture_site import FixtureSite

    started = time.perf_counter()
    site = FixtureSite(layout=args.layout, robots="open", articles_per_lang=args.articles_per_lang)
    with site:
        expected = len(site.expected_articles())
        results["site"] = {
            "layout": args.layout,
            "articles_per_lang": args.articles_per_lang,
            "expected_articles": expected,
            "build_s": time.perf_counter() - started,
        }
        print(f"fixture site {site.url}: {expected:,} articles, layout {args.layout}")
        clock = crawl.RequestClock(site)
        if "crawl" not in args.skip:
            section(f"crawl: bare spider vs full crawler, {args.rounds} round(s)")
            results["crawl"] = crawl.compare(site, clock, args.rounds, workdir)
            results["crawl"]["stored_articles"] = _count(results["crawl"]["last_db"])
            _print_crawl(results["crawl"], expected)
        if "stages" not in args.skip:
            section(f"stages: per article, on {args.stage_articles} saved articles per language")
            results["stages"] = stages.measure(site, args.stage_articles)
        if "incremental" not in args.skip and "crawl" in results:
            section("incremental crawl of the unchanged site (default options)")
            result = crawl.incremental(
                site, clock, Path(results["crawl"]["last_db"]), args.incremental_runs
            )
            result["max_list_pages"] = max(result["list_pages_per_language"].values(), default=0)
            results["incremental"] = result
        if "reparse" not in args.skip and "crawl" in results:
            section("reparse: re-extraction of the last full crawl from its captures")
            results["reparse"] = reparse_figures(Path(results["crawl"]["last_db"]), results)
    return site.app.archive


def reparse_figures(db: Path, results: dict) -> dict:
    """``news-archive reparse`` on a crawled archive (every page extracted again, nothing
    changed): pages/s, peak RSS of its process tree, and the captures' size on disk."""
    from crawler.warc import capture_dir

    child = children.python("-m", "crawler", "reparse", "--db", str(db))
    match = re.search(r"(\d+) captured pages read in ([\d.]+) s", child.stdout)
    pages, seconds = (int(match.group(1)), float(match.group(2))) if match else (0, 0.0)
    articles = _count(str(db))
    size = sum(p.stat().st_size for p in capture_dir(db).glob("*.warc.gz"))
    per_core = None
    if results.get("stages"):
        per_core = 1e6 / results["stages"]["article_extraction_us"]
    figures = {
        "pages": pages,
        "seconds": seconds,
        "pages_per_s": pages / seconds if seconds else None,
        "extract_alone_pages_per_s_per_core": per_core,
        "peak_rss_mb": child.tree_peak_rss_mb,
        "wall_s": child.wall_s,
        "captures_mb": size / 1e6,
        "captures_mb_per_1000_articles": size / 1e6 / max(articles, 1) * 1000,
    }
    print(
        f"  {pages} pages in {seconds:.1f} s: {figures['pages_per_s'] or 0:.0f} pages/s "
        f"(extraction alone: {per_core or 0:.0f} pages/s per core); peak RSS "
        f"{child.tree_peak_rss_mb:.0f} MB (all processes); wall {child.wall_s:.1f} s"
    )
    print(
        f"  captures: {size / 1e6:.1f} MB for {articles:,} articles = "
        f"{figures['captures_mb_per_1000_articles']:.1f} MB per 1,000 articles "
        "(list pages, robots.txt and sitemaps included)"
    )
    return figures


def _count(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def _print_crawl(figures: dict, expected: int) -> None:
    print(
        f"  median: bare {figures['bare_pages_per_s']:.1f} pages/s, "
        f"full {figures['full_pages_per_s']:.1f} pages/s, "
        f"ratio full/bare {figures['ratio_full_bare']:.2f} "
        f"(rounds: {', '.join(f'{r:.2f}' for r in figures['ratios'])})"
    )
    print(
        f"  requests per crawl: bare {figures['bare_requests']}, full {figures['full_requests']};"
        f" stored {figures['stored_articles']:,} of {expected:,} expected articles"
    )
    print(
        f"  CPU per request, all processes: full {figures['full_cpu_ms_per_request']:.2f} ms, "
        f"bare {figures['bare_cpu_ms_per_request']:.2f} ms"
    )
    print(
        f"  peak RSS, all processes: full {figures['full_peak_rss_mb']:.0f} MB, "
        f"bare {figures['bare_peak_rss_mb']:.0f} MB"
    )


def run_reading(args: argparse.Namespace, results: dict, workdir: Path, words: Archive) -> None:
    """Part 5: export and search on a large archive made of the fixture's sentences."""
    section(f"export and search: {args.export_articles:,} articles")
    RESULTS.mkdir(exist_ok=True)
    db = RESULTS / f"archive-{args.export_articles}.db"
    results["archive"] = archive.build(db, words, args.export_articles)
    results["archive"]["mb"] = db.stat().st_size / 1e6
    results["export"] = archive.export_figures(db, workdir)
    results["search"] = archive.search_figures(db, args.search_repeats)


#: Stages done in the page-reading workers when they run (crawler.page_workers); the
#: others stay in the crawl's own process, beside Scrapy.
WORKER_STAGES = ("article_extraction_us", "normalise_us")


def budget(results: dict) -> dict | None:
    """Scrapy's own cost per page next to ours per article (from parts 2 and 3)."""
    if "crawl" not in results or "stages" not in results:
        return None
    stage = results["stages"]
    ours = sum(stage[k] for k in stages.STAGE_KEYS)
    in_process = sum(stage[k] for k in stages.STAGE_KEYS if k not in WORKER_STAGES)
    scrapy_us = 1e6 / results["crawl"]["bare_pages_per_s"]
    pages = results["crawl"]["bare_requests"] / max(results["crawl"]["stored_articles"], 1)
    per_article = scrapy_us * pages
    return {
        "scrapy_us_per_page": scrapy_us,
        "pages_per_article": pages,
        "ours_us_per_article": ours,
        "in_process_us_per_article": in_process,
        "in_workers_us_per_article": ours - in_process,
        # Everything on the reactor's core, and with article pages read in workers.
        "predicted_ratio_in_process": per_article / (per_article + ours),
        "predicted_ratio_with_workers": per_article / (per_article + in_process),
    }


def evaluate(results: dict) -> list[dict]:
    rows = []
    for name, (path, op, target, unit) in TARGETS.items():
        value = results
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        met = None
        if isinstance(value, int | float):
            met = {">=": value >= target, "<=": value <= target, "<": value < target}[op]
        rows.append(
            {
                "figure": name,
                "value": value,
                "target": f"{op} {target:,} {unit}".strip(),
                "met": met,
            }
        )
    return rows


def print_summary(results: dict) -> None:
    section("summary")
    if results.get("budget"):
        b = results["budget"]
        print(
            f"  Scrapy itself: {b['scrapy_us_per_page']:.0f} µs/page "
            f"({b['pages_per_article']:.2f} pages/article); the crawler's own work: "
            f"{b['ours_us_per_article']:.0f} µs/article, of which "
            f"{b['in_workers_us_per_article']:.0f} in the page-reading workers -> predicted "
            f"ratio {b['predicted_ratio_in_process']:.2f} all in one process, "
            f"{b['predicted_ratio_with_workers']:.2f} with workers (a free core assumed)"
        )
    for row in results["targets"]:
        value = row["value"]
        shown = (
            "-" if value is None else f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        )
        verdict = {True: "met", False: "MISSED", None: "not measured"}[row["met"]]
        print(f"  {row['figure']:38} {shown:>12}   target {row['target']:14} {verdict}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    results: dict = {
        "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": machine(),
        "settings": crawl.SHARED_SETTINGS,
    }
    m = results["machine"]
    print(
        f"{m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, Scrapy {m['scrapy']}, "
        f"SQLite {m['sqlite']}; load average {m['load_average_at_start'][0]:.2f}"
    )
    workdir = crawl.new_workdir()
    try:
        words = run_crawls(args, results, workdir)
        if "export" not in args.skip:
            run_reading(args, results, workdir, words)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["budget"] = budget(results)
    results["targets"] = evaluate(results)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["total_s"] = time.perf_counter() - started
    print_summary(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\n{results['total_s']:.0f} s in all; figures in {args.json}")


if __name__ == "__main__":
    main()
