"""``python -m bench.many_sites``: one crawl of many sites against the slowest site
crawled alone (issue 16).

``--sites`` fixture sites (default 50) on distinct loopback addresses, ``127.0.0.2`` …
``127.0.0.(N+1)``, so each is its own Scrapy download slot, are served by a separate
process (:func:`serve`; its server threads do not share a GIL or a core's time slices
with this process's bookkeeping). Each site has ``ceil(--articles / 3)`` articles per
language (the fixture site has three languages, at least 12 each): 34 for the default
100, 102 articles per site, layout ``mixed``. A sites file gives every site
``delay = --delay`` (0.2 s by default: at most 5 requests per second per site).

The real CLI, ``news-archive crawl --db DB --sites FILE``, runs as a child process
(:mod:`bench.children`: wall seconds, peak RSS of the largest process from GNU time and
of the whole process tree), with the crawler's own defaults (AutoThrottle on, raw
captures kept: ``--no-warc`` drops them) and only ``--log-file`` added. The baseline is
the same sites file with ``--site NAME`` for one site alone, into a fresh database, for
``--baselines`` sites (first, last, middle; the sites are the same size, so one to three
suffice): the slowest is the single-site time. Before every crawl the servers forget
their logs and their one-off faults (503 answers), so every crawl sees the same sites.

Figures: wall time of the N-site crawl, the single-site time and their ratio (goal ≤
1.3); requests in all, per second overall; per site, from the servers' arrival times,
the shortest gap between two requests and the most requests in any 1-second window
(limit: ``1 / delay``); articles stored per site against the fixture's expected URLs;
every site's verdict (``crawl_sites``); exit status. Exit status 1 when a check fails.

    .venv/bin/python -m bench.many_sites                 # 50 sites × 102 articles, ~2-3 min
    .venv/bin/python -m bench.many_sites --quick         # 4 sites × 36 articles, ~20 s
    .venv/bin/python -m bench.many_sites -s NAME=VALUE   # a Scrapy setting for every crawl
    .venv/bin/python -m bench.many_sites --profile RAW   # its CPU by stage (pip install py-spy)

Over 400 lines: the server process, the crawls with their per-site pace figures and
checks, and the report are one measurement, read top to bottom.

Imports: the standard library, :mod:`bench.children`, :mod:`bench.crawl` (``setting_args``)
and :mod:`bench.merge` (``cli``); :mod:`bench.profile` for ``--profile``; in the server
process :mod:`crawler.fixture_site`.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_left
from pathlib import Path

from bench import children
from bench.crawl import setting_args
from bench.merge import cli

QUICK = {"sites": 4, "articles": 36, "delay": 0.1, "baselines": 1}
LAYOUT = "mixed"
#: The many-site crawl may take this much longer than the slowest site alone.
GOAL_RATIO = 1.3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.many_sites",
        description="One news-archive crawl of N fixture sites (each its own host and "
        "download slot, a per-site delay) against the slowest site crawled alone. "
        "Example: python -m bench.many_sites --sites 50",
    )
    parser.add_argument("--sites", type=int, default=None, help="fixture sites (default 50)")
    parser.add_argument(
        "--articles",
        type=int,
        default=None,
        help="articles per site, spread over its 3 languages (default 100: 34 a language)",
    )
    parser.add_argument(
        "--delay", type=float, default=None, help="each site's delay, seconds (default 0.2)"
    )
    parser.add_argument(
        "--baselines",
        type=int,
        default=None,
        help="sites crawled alone for the single-site time (default 3)",
    )
    parser.add_argument("--no-warc", action="store_true", help="crawl without raw captures")
    parser.add_argument(
        "--faults",
        action="store_true",
        help="serve the fixture's one-off 503 answers to every crawl (default: used up "
        "before: the retry back-off they cause would hide the pace)",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for every crawl (repeatable)",
    )
    parser.add_argument(
        "--keep", type=Path, default=None, metavar="DIR", help="keep databases and logs in DIR"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the figures there")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="RAW",
        help="run the crawl of all sites under py-spy (raw samples to RAW) and print its "
        "CPU by stage (bench.profile); its figures are then slowed by the sampling",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="4 sites × 36 articles (12 a language, the fixture's least), delay 0.1 s",
    )
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else {"sites": 50, "articles": 100, "delay": 0.2, "baselines": 3}
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if not 1 <= args.sites <= 250 or args.delay <= 0 or args.baselines < 1:
        parser.error("--sites must be 1-250, --delay above 0, --baselines at least 1")
    args.per_lang = max(12, math.ceil(args.articles / 3))
    return args


# -- the servers (a child process) --------------------------------------------------


def serve(conn, count: int, per_lang: int, layout: str) -> None:
    """Serve ``count`` fixture sites on 127.0.0.2 … and answer commands on ``conn``:
    ``reset`` (forget logs and one-off faults), ``log`` (each site's arrival times and
    statuses, and this process's CPU seconds), ``stop``."""
    from crawler.fixture_site import FixtureSite

    sites = [
        FixtureSite(layout=layout, articles_per_lang=per_lang, host=f"127.0.0.{n + 2}").start()
        for n in range(count)
    ]
    conn.send(
        [
            {
                "name": f"site{n + 1:02d}",
                "start_urls": site.start_urls,
                "expected": sorted(a["url"] for a in site.expected_articles()),
            }
            for n, site in enumerate(sites)
        ]
    )
    while True:
        command = conn.recv()
        if command in ("reset", "reset-faults"):
            for site in sites:
                with site.app.lock:
                    site.app.log.clear()
                    site.app.times.clear()
                    site.app.sessions = 0
                if command == "reset-faults":
                    site.app._hits.clear()
                    site.app._answers.clear()  # a kept 200 answer would skip a fault
                else:
                    use_up_faults(site)
            conn.send(time.process_time())
        elif command == "log":
            logs = [(site.request_times, [s for _m, _p, s in site.request_log]) for site in sites]
            conn.send((logs, time.process_time()))
        else:
            for site in sites:
                site.stop()
            conn.send("stopped")
            return


def use_up_faults(site) -> None:
    """Count the site's one-off 503 answers as given (``crawler/fixture_site/faults.py``:
    an article of each language, an English list page), as ``bench.crawl.warm_up``
    does by crawling: every measured crawl then asks for the same pages, and no
    retry back-off (2 s, 4 s … holding the host) hides the sites' pace."""
    from crawler.fixture_site import faults

    app = site.app
    with app.lock:
        app._hits[("list", faults.LIST_FAILURE_PAGE)] = faults.LIST_FAILURES
        for lang, stories in app.snap.news.items():
            for story in stories:
                if faults.UNAVAILABLE in story.roles:
                    app._hits[("article", story.id)] = faults.ARTICLE_FAILURES[lang]


class Servers:
    """The server process, from this side."""

    def __init__(self, count: int, per_lang: int, layout: str = LAYOUT) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child_conn, count, per_lang, layout), daemon=True
        )
        self.process.start()
        self.sites: list[dict] = self.conn.recv()

    def reset(self, faults: bool = False) -> float:
        """Forget the logs; ``faults``: serve the one-off 503 answers again, else count
        them as given."""
        self.conn.send("reset-faults" if faults else "reset")
        return self.conn.recv()

    def log(self) -> tuple[list, float]:
        self.conn.send("log")
        return self.conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send("stop")
            self.conn.recv()
        self.process.join(10)


def sites_file(path: Path, sites: list[dict], delay: float) -> Path:
    text = "".join(
        f'[[site]]\nname = "{site["name"]}"\n'
        f"start_urls = [{', '.join(json.dumps(u) for u in site['start_urls'])}]\n"
        f"delay = {delay}\n\n"
        for site in sites
    )
    path.write_text(text, encoding="utf-8")
    return path


# -- figures ---------------------------------------------------------------------


def pace(times: list[float], delay: float) -> dict:
    """One site's pace from its arrival times at the server: the shortest gap, the most
    requests in any 1-second and 5-second window (``[t, t + 1)`` from each request),
    gaps under 0.9 × delay, and the mean gap.

    Scrapy spaces the *dispatch* of a slot's requests by its delay; a request that
    reaches the server a few milliseconds late (a busy reactor, a server thread not yet
    scheduled) makes its gap to the next one short and can put one request more than
    ``1 / delay`` in a 1-second window, so the checks allow one request of slack (a
    fifth of a request per second over 5 seconds)."""
    times = sorted(times)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]

    def most_in(seconds: float) -> int:
        return max((bisect_left(times, t + seconds, i) - i for i, t in enumerate(times)), default=0)

    return {
        "requests": len(times),
        "min_gap_s": min(gaps, default=0.0),
        "mean_gap_s": (times[-1] - times[0]) / len(gaps) if gaps else 0.0,
        "max_per_1s": most_in(1.0),
        "max_per_5s": most_in(5.0),
        "short_gaps": sum(gap < 0.9 * delay for gap in gaps),
        "span_s": times[-1] - times[0] if times else 0.0,
    }


def stored(db: Path) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Stored article URLs by site, and each site's verdict (``crawl_sites``)."""
    with sqlite3.connect(db) as conn:
        urls: dict[str, set[str]] = {}
        for site, url in conn.execute("SELECT site, url FROM articles"):
            urls.setdefault(site, set()).add(url)
        verdicts = dict(conn.execute("SELECT site, status FROM crawl_sites"))
    return urls, verdicts


def crawl(servers: Servers, sites: list[dict], args, workdir: Path, label: str) -> dict:
    """One measured ``news-archive crawl`` of ``sites`` (all of the file's, or one with
    ``--site``) into a fresh database; its figures."""
    db = workdir / f"{label}.db"
    command = [*cli(), "crawl", "--db", str(db), "--sites", str(args.sites_file)]
    if len(sites) < len(servers.sites):
        command += [arg for site in sites for arg in ("--site", site["name"])]
    command += ["--log-file", str(workdir / f"{label}.log")]
    command += ["--no-warc"] if args.no_warc else []
    command += setting_args(dict(s.split("=", 1) for s in args.settings))
    if args.profile and label == "all":
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        command = [spy, "record", "-r", "100", "-f", "raw", "-o", str(args.profile), "--", *command]
    for stale in [*workdir.glob(f"{label}.db*"), workdir / f"{label}.log"]:
        stale.unlink(missing_ok=True)
    shutil.rmtree(workdir / f"{label}.warc", ignore_errors=True)
    cpu_before = servers.reset(args.faults)
    child = children.run(command)
    logs, cpu_after = servers.log()
    urls, verdicts = stored(db)
    by_name = {site["name"]: n for n, site in enumerate(servers.sites)}
    per_site = {}
    for site in sites:
        times, statuses = logs[by_name[site["name"]]]
        got = urls.get(site["name"], set())
        per_site[site["name"]] = {
            **pace(times, args.delay),
            "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "articles": len(got),
            "expected": len(site["expected"]),
            "complete": got == set(site["expected"]),
            "verdict": verdicts.get(site["name"]),
        }
    others = sum(len(logs[n][0]) for name, n in by_name.items() if name not in per_site)
    requests = sum(s["requests"] for s in per_site.values())
    all_times = sorted(t for site in sites for t in logs[by_name[site["name"]]][0])
    span = all_times[-1] - all_times[0] if len(all_times) > 1 else 0.0
    return {
        "label": label,
        "sites": len(sites),
        "returncode": child.returncode,
        "wall_s": child.wall_s,
        "span_s": span,
        "requests": requests,
        "requests_per_s": requests / span if span else 0.0,
        "requests_to_other_sites": others,
        "cpu_s": child.cpu_s,
        "server_cpu_s": cpu_after - cpu_before,
        "peak_rss_mb": child.peak_rss_mb,
        "tree_peak_rss_mb": child.tree_peak_rss_mb,
        "summary": child.stdout.strip().splitlines()[-1] if child.stdout.strip() else "",
        "stderr_tail": child.stderr[-2000:] if child.returncode else "",
        "per_site": per_site,
    }


def baseline_sites(sites: list[dict], count: int) -> list[dict]:
    """First, last, middle, then evenly between."""
    picks = [0, len(sites) - 1, len(sites) // 2]
    picks += [round(i * (len(sites) - 1) / (count - 1)) for i in range(count)] if count > 1 else []
    chosen = list(dict.fromkeys(picks))[: min(count, len(sites))]
    return [sites[i] for i in chosen]


def measure(args, workdir: Path, log=print) -> dict:
    """Start the servers, crawl all sites once and the baseline sites alone; figures."""
    started = time.perf_counter()
    servers = Servers(args.sites, args.per_lang)
    try:
        sites = servers.sites
        args.sites_file = sites_file(workdir / "sites.toml", sites, args.delay)
        log(
            f"{len(sites)} fixture sites (127.0.0.2-127.0.0.{len(sites) + 1}, layout {LAYOUT}, "
            f"{args.per_lang} articles a language: {len(sites[0]['expected'])} per site) "
            f"served by process {servers.process.pid}, started in "
            f"{time.perf_counter() - started:.1f} s; delay {args.delay} s per site"
        )
        many = crawl(servers, sites, args, workdir, "all")
        log_run(many, args, log)
        singles = []
        for site in baseline_sites(sites, args.baselines):
            single = crawl(servers, [site], args, workdir, f"alone-{site['name']}")
            log_run(single, args, log)
            singles.append(single)
    finally:
        servers.stop()
    slowest = max(singles, key=lambda run: run["wall_s"])
    worst = max(
        many["per_site"].items(), key=lambda item: (item[1]["max_per_1s"], -item[1]["min_gap_s"])
    )
    limit = 1 / args.delay
    results = {
        "sites": args.sites,
        "articles_per_site": len(sites[0]["expected"]),
        "per_lang": args.per_lang,
        "delay_s": args.delay,
        "captures": not args.no_warc,
        "faults": args.faults,
        "settings": args.settings,
        "many": many,
        "singles": singles,
        "single_wall_s": slowest["wall_s"],
        "ratio": many["wall_s"] / slowest["wall_s"],
        "span_ratio": many["span_s"] / slowest["span_s"] if slowest["span_s"] else 0.0,
        "worst_site": {"name": worst[0], **worst[1]},
        "limit_per_s": limit,
    }
    runs = [many, *singles]
    every = [s for run in runs for s in run["per_site"].values()]
    results["checks"] = {
        "exit status 0": all(run["returncode"] == 0 for run in runs),
        "every site complete": all(s["complete"] for s in every),
        "every site ok": all(s["verdict"] == "ok" for s in every),
        "no request to a site left out": all(run["requests_to_other_sites"] == 0 for run in runs),
        f"at most {limit:g} (+1) requests in any 1 s window, {5 * limit:g} (+1) in 5 s": all(
            s["max_per_1s"] <= limit + 1 + 1e-9 and s["max_per_5s"] <= 5 * limit + 1 + 1e-9
            for s in every
        ),
    }
    results["ok"] = all(results["checks"].values())
    log_summary(results, log)
    return results


def log_run(run: dict, args, log) -> None:
    sites = run["per_site"].values()
    complete = sum(s["complete"] for s in sites)
    log(
        f"  {run['label']}: {run['sites']} site(s), exit {run['returncode']}, "
        f"wall {run['wall_s']:.1f} s (first to last request {run['span_s']:.1f} s), "
        f"{run['requests']} requests, {run['requests_per_s']:.1f}/s; "
        f"CPU {run['cpu_s']:.1f} s (servers {run['server_cpu_s']:.1f} s); peak RSS "
        f"{run['tree_peak_rss_mb']:.0f} MB all processes (largest {run['peak_rss_mb']:.0f}); "
        f"{complete}/{run['sites']} sites complete"
    )
    gaps = sorted(s["mean_gap_s"] for s in sites)
    log(
        f"    per site: shortest gap {min(s['min_gap_s'] for s in sites):.3f} s, "
        f"most in 1 s {max(s['max_per_1s'] for s in sites)}, in 5 s "
        f"{max(s['max_per_5s'] for s in sites)}, mean gap "
        f"{gaps[0]:.3f}-{gaps[-1]:.3f} s (median {gaps[len(gaps) // 2]:.3f}), "
        f"gaps < 0.9 × delay: {sum(s['short_gaps'] for s in sites)}"
    )
    if run["summary"]:
        log(f"    news-archive: {run['summary']}")
    if run["returncode"]:
        log(run["stderr_tail"])


def log_summary(results: dict, log) -> None:
    many, worst = results["many"], results["worst_site"]
    log(
        f"{results['sites']} sites in one crawl: {many['wall_s']:.1f} s; slowest site alone: "
        f"{results['single_wall_s']:.1f} s; ratio {results['ratio']:.2f} (goal ≤ {GOAL_RATIO}; "
        f"first to last request: {results['span_ratio']:.2f})"
    )
    log(
        f"worst site {worst['name']}: {worst['max_per_1s']} requests in 1 s at most "
        f"(limit {results['limit_per_s']:g}), {worst['max_per_5s']} in 5 s, "
        f"shortest gap {worst['min_gap_s']:.3f} s"
    )
    for name, passed in results["checks"].items():
        log(f"  {name}: {'OK' if passed else 'FAILED'}")
    log("OK: every check passed" if results["ok"] else "FAILED: see above")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log = functools.partial(print, flush=True)
    log(f"peak RSS: {children.RSS_SOURCE}; load average {os.getloadavg()}")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-many-sites-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = measure(args, workdir.resolve(), log)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.profile:
        from bench.profile import report

        log(f"\nCPU of the crawl of {args.sites} sites by stage (py-spy, 100 samples/s):")
        report(args.profile, 15)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
