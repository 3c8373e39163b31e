"""``python -m bench.merge``: ``news-archive merge`` of two large archives (issue 16):
seconds and peak RSS, and cheap checks that the result is right.

Two archives of ``--articles`` each (default 50,000) model two Scrapy nodes: each has
its own sites (``site0.node-a.example``, ...) and both archived one shared site
(``--overlap``, default 10 % of each archive: the same URLs, fetched at other times,
with other view counts; a third of the shared articles changed on node A, half on node
B, a sixth on both, differently). Bodies are the fixture site's sentences (Russian,
Kazakh, English; about 3 KB, :func:`bench.archive.make_articles`), written through
:class:`crawler.archive.store.ArchiveStore` as three crawls of each node would write
them: a full crawl (with failures: 404s, time-outs, a list page), a refresh (10 % fetched
again with new view counts, 5 % changed: second versions; the time-outs resolved) and
an incremental run (2 % fetched again; more failures); a few redirect aliases and list
walks. The full-text triggers are dropped during the load and the index built once.

The real CLI, ``news-archive merge OUT A B``, runs as a child process
(:mod:`bench.children`: wall seconds, peak RSS from GNU time), then again with the same
inputs into the existing OUT, which must change nothing. Checked with SQL on the
files: OUT's articles are the union of A's and B's URLs, each with the newer side's
fields; versions, view counts, crawls and failures as many as merging them by hand
gives; the second merge leaves every table's count as it was. Exit status 1 on a
mismatch.

    .venv/bin/python -m bench.merge                  # 2 × 50,000 articles, ~1-2 min
    .venv/bin/python -m bench.merge --quick          # 2 × 2,000, a few seconds
    .venv/bin/python -m bench.merge --keep /tmp/m    # keep (and reuse) the archives

Imports: the standard library, :mod:`bench.archive` and :mod:`bench.children`, and
from the project :mod:`crawler.archive.store`, :mod:`crawler.archive.search`,
:mod:`crawler.fixture_site.content` and :mod:`crawler.items` (no Scrapy).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench import children
from bench.archive import BATCH, corpus, make_articles

#: Bump when the generated archives change (``--keep`` rebuilds them then).
FORMAT_VERSION = 1
QUICK_ARTICLES = 2_000
#: Sites of each node; the shared site's URLs are on ``shared.example``.
SITES = 4
NODES = ("a", "b")
#: Each node's three runs: (pid, start, fetch time). Node B's refresh comes before
#: node A's, so of a shared article changed on both nodes A's text is the newest.
RUNS = {
    "a": [
        (4101, "2026-03-01T02:00:00Z", "2026-03-01T02:30:00Z"),
        (4102, "2026-03-06T02:00:00Z", "2026-03-06T02:30:00Z"),
        (4103, "2026-03-08T02:00:00Z", "2026-03-08T02:30:00Z"),
    ],
    "b": [
        (4201, "2026-03-01T03:00:00Z", "2026-03-01T03:30:00Z"),
        (4202, "2026-03-05T03:00:00Z", "2026-03-05T03:30:00Z"),
        (4203, "2026-03-08T03:00:00Z", "2026-03-08T03:30:00Z"),
    ],
}
#: Tables whose row counts the second (idempotent) merge must leave unchanged.
TABLES = ("articles", "article_versions", "view_counts", "url_aliases", "crawls", "failures")


@dataclasses.dataclass(frozen=True)
class Plan:
    """Article numbers: ``0 .. shared-1`` on both nodes, then each node's own."""

    articles: int
    shared: int

    @property
    def total(self) -> int:
        return 2 * self.articles - self.shared

    def numbers(self, node: str) -> list[range]:
        own = self.articles - self.shared
        first = self.shared + NODES.index(node) * own
        return [range(0, self.shared), range(first, first + own)]

    def url(self, node: str, number: int, lang: str) -> str:
        shared = number < self.shared
        host = "shared.example" if shared else f"site{number % SITES}.node-{node}.example"
        return f"https://{host}/{lang}/news/{number}/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.merge",
        description="Time `news-archive merge OUT A B` on two generated archives "
        "(seconds, peak RSS) and check the result. Example: python -m bench.merge",
    )
    parser.add_argument(
        "--articles", type=int, default=None, help="articles per archive (default 50000)"
    )
    parser.add_argument(
        "--overlap",
        type=float,
        default=0.1,
        help="share of each archive's URLs that are in both (default 0.1)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="build the archives in DIR and keep them (reused by the next run of the "
        "same size); default: a temporary directory, deleted at the end",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ARTICLES:,} articles per archive"
    )
    args = parser.parse_args(argv)
    if args.articles is None:
        args.articles = QUICK_ARTICLES if args.quick else 50_000
    if args.articles < 10 or not 0 <= args.overlap <= 1:
        parser.error("--articles must be at least 10 and --overlap between 0 and 1")
    return args


# -- the two archives -----------------------------------------------------------------


def _changed(article, node: str, run: int):
    """The article as the page read in ``run`` of ``node`` shows it, changed."""
    note = {"a": "Обновлено (узел A).", "b": "Жаңартылды (B түйіні)."}[node]
    return dataclasses.replace(
        article,
        title=f"{article.title} — {node.upper()}{run}",
        body=f"{article.body}\n\n{note}",
    )


def _fetched(article, node: str, run: int, number: int, text_changed: bool):
    """The record of ``article`` fetched by ``run`` (0, 1, 2) of ``node``."""
    if text_changed:
        article = _changed(article, node, run)
    views = article.views + 7 * NODES.index(node) + 100 * run + number % 13
    return dataclasses.replace(
        article, views=views, views_raw=str(views), fetched_at=RUNS[node][run][2]
    )


def _shared_change(node: str, number: int) -> bool:
    """Shared articles the refresh of ``node`` finds changed (both: ``number % 6 == 0``)."""
    return number % 3 == 0 if node == "a" else number % 2 == 0


def generate(path: Path, node: str, plan: Plan, words: dict) -> dict:
    """Write node ``node``'s archive at ``path``; return what was written."""
    from crawler.archive.search import FTS_TRIGGERS, ensure_fts
    from crawler.archive.store import ArchiveStore, SaveCounts

    started = time.perf_counter()
    store = ArchiveStore(path)
    for trigger in FTS_TRIGGERS:
        store.db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    crawl_ids = [
        store.start_crawl({"node": node, "run": n + 1}, pid, kind="crawl")
        for n, (pid, _start, _fetched_at) in enumerate(RUNS[node])
    ]
    counts = [SaveCounts() for _ in RUNS[node]]
    aliases: dict[str, str] = {}
    for numbers in plan.numbers(node):
        for start in range(numbers.start, numbers.stop, BATCH):
            count = min(BATCH, numbers.stop - start)
            batch = make_articles(words, start, count, plan.total)
            runs: list[list] = [[], [], []]
            failures: list[list[dict]] = [[], [], []]
            for number, article in enumerate(batch, start):
                article = dataclasses.replace(article, url=plan.url(node, number, article.lang))
                shared = number < plan.shared
                timed_out = number % 97 == 5
                if timed_out:  # not stored by the full crawl; the refresh gets it
                    failures[0].append(_failure(article.url, node, 0, "network", None))
                else:
                    runs[0].append(_fetched(article, node, 0, number, False))
                if timed_out or number % 10 == 0 or (shared and _shared_change(node, number)):
                    changed = _shared_change(node, number) if shared else number % 20 == 0
                    runs[1].append(_fetched(article, node, 1, number, changed and not timed_out))
                if number % 50 == 1:
                    runs[2].append(_fetched(article, node, 2, number, False))
                if not shared and number % 500 == 3:
                    aliases[article.url.replace("/news/", "/press/")] = article.url
            for run, gone in ((0, 0), (2, 1)):
                for i in range(len(batch) // 200):  # a 404 per 200 articles
                    url = plan.url(node, start + i, "ru").replace("/news/", f"/news/gone{gone}-")
                    failures[run].append(_failure(url, node, run, "http", 404))
            with store.writing():
                for run, crawl_id in enumerate(crawl_ids):
                    store.record_failures(failures[run], crawl_id)
                    counts[run].add(store.save_articles(runs[run], crawl_id))
    store.record_aliases(aliases)
    for run, crawl_id in enumerate(crawl_ids):
        list_url = plan.url(node, plan.shared, "ru").rsplit("/", 2)[0] + "/"
        store.record_failures([_failure(list_url, node, run, "http", 503, "list")], crawl_id)
        store.record_completed_walks([list_url], crawl_id)
        done = counts[run]
        figures = {"new": done.new, "changed": done.changed, "unchanged": done.unchanged}
        store.finish_crawl(
            crawl_id, "finished", 0, {f"articles_{k}": v for k, v in figures.items()}
        )
        _pid, started_at, fetched_at = RUNS[node][run]
        store.db.execute(
            "UPDATE crawls SET started_at = ?, finished_at = ? WHERE id = ?",
            [started_at, fetched_at.replace(":30:", ":50:"), crawl_id],
        )
        store.db.conn.commit()
    store.db.execute("UPDATE list_walks SET completed_at = ?", [RUNS[node][-1][2]])
    store.db.conn.commit()
    ensure_fts(store.db)  # the index in one pass, and the triggers back
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"build_s": time.perf_counter() - started, **table_counts(path)}


def _failure(url: str, node: str, run: int, kind: str, status, page: str = "article") -> dict:
    error = "TimeoutError: took longer than 30 s" if kind == "network" else f"HTTP {status}"
    failed_at = RUNS[node][run][2].replace(":30:", ":40:")
    return {
        "url": url,
        "kind": kind,
        "status": status,
        "error": error,
        "failed_at": failed_at,
        "page": page,
    }


def build_inputs(workdir: Path, plan: Plan, log=print) -> dict[str, dict]:
    """Both archives in ``workdir`` (reused when a marker says they are of this plan)."""
    from crawler.fixture_site.content import build_archive

    marker = workdir / "inputs.done"
    wanted = f"{plan.articles} {plan.shared} {FORMAT_VERSION}"
    paths = {node: workdir / f"node-{node}.db" for node in NODES}
    if marker.exists() and marker.read_text() == wanted and all(p.exists() for p in paths.values()):
        log(f"  reusing the archives in {workdir}")
        return {node: {"build_s": 0.0, **table_counts(p)} for node, p in paths.items()}
    marker.unlink(missing_ok=True)
    words = corpus(build_archive())
    built = {}
    for node, path in paths.items():
        for stale in _files(path):
            stale.unlink(missing_ok=True)
        built[node] = generate(path, node, plan, words)
        log(
            f"  node {node}: {built[node]['articles']:,} articles, "
            f"{built[node]['article_versions']:,} versions, "
            f"{built[node]['view_counts']:,} view counts, {built[node]['crawls']} crawls, "
            f"{built[node]['failures']:,} failures; {built[node]['mb']:,.0f} MB, "
            f"built in {built[node]['build_s']:.1f} s"
        )
    marker.write_text(wanted)
    return built


def _files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def table_counts(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        found = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    conn.close()
    return {**found, "mb": db.stat().st_size / 1e6}


# -- what the merge must give -----------------------------------------------------------

#: OUT's articles that do not carry the newer side's fields (A wins a tie: it is merged
#: first, and only a strictly newer fetch replaces a row).
_NEWEST = """
SELECT count(*) FROM main.articles AS o
LEFT JOIN a.articles AS x ON x.url = o.url LEFT JOIN b.articles AS y ON y.url = o.url
WHERE o.last_seen IS NOT max(coalesce(x.last_seen, ''), coalesce(y.last_seen, ''))
   OR o.first_seen IS NOT coalesce(min(x.first_seen, y.first_seen), x.first_seen, y.first_seen)
   OR o.title IS NOT (CASE WHEN y.url IS NULL OR x.last_seen >= y.last_seen THEN x.title
                      ELSE y.title END)
"""


def expected(out: Path, a: Path, b: Path) -> dict:
    """What ``news-archive merge OUT A B`` must give, counted from A and B with SQL, and
    how many of OUT's articles do not carry the newer side's fields."""
    conn = sqlite3.connect(out)
    conn.execute("ATTACH DATABASE ? AS a", [str(a)])
    conn.execute("ATTACH DATABASE ? AS b", [str(b)])

    def one(sql: str) -> int:
        return conn.execute(sql).fetchone()[0]

    found = {
        "articles": one(
            "SELECT count(*) FROM (SELECT url FROM a.articles UNION SELECT url FROM b.articles)"
        ),
        "shared": one("SELECT count(*) FROM a.articles JOIN b.articles USING (url)"),
        "view_counts": one(
            "SELECT count(*) FROM (SELECT url, seen_at FROM a.view_counts UNION "
            "SELECT url, seen_at FROM b.view_counts)"
        ),
        "url_aliases": one(
            "SELECT count(*) FROM (SELECT alias FROM a.url_aliases UNION "
            "SELECT alias FROM b.url_aliases)"
        ),
        "crawls": one("SELECT (SELECT count(*) FROM a.crawls) + (SELECT count(*) FROM b.crawls)"),
        "failures": one(
            "SELECT count(*) FROM (SELECT url, failed_at, kind, status, page FROM a.failures "
            "UNION SELECT url, failed_at, kind, status, page FROM b.failures)"
        ),
        "article_versions": _merged_versions(conn),
        "not_newest": one(_NEWEST),
    }
    conn.close()
    return found


def _merged_versions(conn: sqlite3.Connection) -> int:
    """Versions of the merged archive: each side's own URLs keep theirs; a shared URL
    gets both sides' texts in the order seen, a text equal to the one before it dropped."""
    alone = conn.execute(
        "SELECT (SELECT count(*) FROM a.article_versions WHERE url NOT IN "
        "(SELECT url FROM b.article_versions)) + (SELECT count(*) FROM b.article_versions "
        "WHERE url NOT IN (SELECT url FROM a.article_versions))"
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT url, seen_at, 0 AS side, version, title, body FROM a.article_versions "
        "WHERE url IN (SELECT url FROM b.article_versions) UNION ALL "
        "SELECT url, seen_at, 1, version, title, body FROM b.article_versions "
        "WHERE url IN (SELECT url FROM a.article_versions) ORDER BY 1, 2, 3, 4"
    )
    merged, last = 0, None
    for url, _seen, _side, _version, title, body in rows:
        if last != (url, title, body):
            merged += 1
            last = (url, title, body)
    return alone + merged


# -- the merge --------------------------------------------------------------------------

_REPORT = re.compile(
    r"(?P<articles>\d+) articles \((?P<added>\d+) added, (?P<updated>\d+) updated.*?\), "
    r"(?P<versions>\d+) versions, (?P<view_counts>\d+) view counts, (?P<crawls>\d+) crawls "
    r"and (?P<failures>\d+) failures carried"
)


def cli() -> list[str]:
    """The ``news-archive`` command of this virtualenv (else ``python -m crawler``)."""
    script = Path(sys.executable).with_name("news-archive")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crawler"]


def timed_merge(out: Path, inputs: list[Path]) -> dict:
    child = children.run([*cli(), "merge", str(out), *map(str, inputs)]).check()
    match = _REPORT.search(child.stdout)
    if match is None:
        raise RuntimeError(f"unexpected output of news-archive merge: {child.stdout!r}")
    return {
        "wall_s": child.wall_s,
        "peak_rss_mb": child.peak_rss_mb,
        "cpu_s": child.cpu_s,
        "report": {k: int(v) for k, v in match.groupdict().items()},
        "line": child.stdout.strip(),
    }


def measure(workdir: Path, plan: Plan, log=print) -> dict:
    """Build the inputs, merge twice, check; every figure in a dict (``ok``: all checks
    passed)."""
    log(
        f"merge of two archives of {plan.articles:,} articles, {plan.shared:,} URLs in both "
        f"({plan.shared / plan.articles:.0%}); work directory {workdir}"
    )
    inputs = build_inputs(workdir, plan, log)
    a, b = workdir / "node-a.db", workdir / "node-b.db"
    out = workdir / "merged.db"
    for stale in _files(out):
        stale.unlink(missing_ok=True)
    first = timed_merge(out, [a, b])
    after_first = table_counts(out)
    want = expected(out, a, b)
    second = timed_merge(out, [a, b])
    after_second = table_counts(out)
    checks = {
        "articles == |A ∪ B| URLs": (after_first["articles"], want["articles"]),
        "articles with the newer side's fields": (
            after_first["articles"] - want["not_newest"],
            after_first["articles"],
        ),
        "versions (both sides' texts, repeats dropped)": (
            after_first["article_versions"],
            want["article_versions"],
        ),
        "view counts == |A ∪ B| (url, seen_at)": (
            after_first["view_counts"],
            want["view_counts"],
        ),
        "crawls == A's + B's": (after_first["crawls"], want["crawls"]),
        "failures == |A ∪ B|": (after_first["failures"], want["failures"]),
        "aliases == |A ∪ B|": (after_first["url_aliases"], want["url_aliases"]),
        "merge's own article count": (first["report"]["articles"], want["articles"]),
        "second merge: counts unchanged": (
            tuple(after_second[t] for t in TABLES),
            tuple(after_first[t] for t in TABLES),
        ),
        "second merge: nothing added, updated or carried": (
            tuple(second["report"][k] for k in ("added", "updated", "crawls", "failures")),
            (0, 0, 0, 0),
        ),
    }
    results = {
        "articles_per_input": plan.articles,
        "overlap": plan.shared / plan.articles,
        "shared": want["shared"],
        "inputs": inputs,
        "expected": want,
        "output": after_first,
        "first": first,
        "second": second,
        "input_articles_per_s": 2 * plan.articles / first["wall_s"],
        "checks": {name: got == wanted for name, (got, wanted) in checks.items()},
    }
    results["ok"] = all(results["checks"].values())
    _print(results, checks, log)
    return results


def _print(results: dict, checks: dict, log) -> None:
    first, second, output = results["first"], results["second"], results["output"]
    report = first["report"]
    log(f"  news-archive said: {first['line']}")
    log(
        f"  output: {output['articles']:,} articles ({report['added']:,} added, "
        f"{report['updated']:,} updated from B's newer fetch), "
        f"{output['article_versions']:,} versions, {output['view_counts']:,} view counts, "
        f"{output['crawls']} crawls, {output['failures']:,} failures; {output['mb']:,.0f} MB"
    )
    log(
        f"  first merge:  {first['wall_s']:6.2f} s, peak RSS {first['peak_rss_mb']:6.1f} MB, "
        f"CPU {first['cpu_s']:.1f} s; {results['input_articles_per_s']:,.0f} input articles/s"
    )
    log(
        f"  second merge (same inputs into OUT): {second['wall_s']:6.2f} s, "
        f"peak RSS {second['peak_rss_mb']:6.1f} MB"
    )
    for name, (got, wanted) in checks.items():
        verdict = "OK" if got == wanted else f"MISMATCH (expected {wanted})"
        log(f"  {name}: {got} {verdict}")
    log("OK: every check passed" if results["ok"] else "MISMATCH: see above")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = Plan(args.articles, round(args.articles * args.overlap))
    log = functools.partial(print, flush=True)
    log(f"peak RSS: {children.RSS_SOURCE}")
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = measure(args.keep.resolve(), plan, log)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="bench-merge-"))
        try:
            results = measure(workdir, plan, log)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
