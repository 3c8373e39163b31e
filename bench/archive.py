"""A large archive for the reading side: export to CSV / JSON Lines and search latency.

The archive is built from the fixture site's own sentences (Russian, Kazakh, English),
bodies of about 3 KB, through :meth:`crawler.archive.store.ArchiveStore.save_articles`
in batches, with the full-text triggers dropped during the load and the index rebuilt
once at the end (:func:`crawler.archive.search.ensure_fts`). It is kept in
``bench/results/`` and reused by later runs of the same size.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import children
from crawler.fixture_site.content import Archive
from crawler.items import Article

FORMAT_VERSION = 2
BODY_BYTES = 3000
BATCH = 2000
FIRST, LAST = datetime(2015, 1, 1), datetime(2024, 12, 31)
#: Fixed queries for the search latency: (text, lang, since). Two thirds are topic
#: words, each in under 5 % of the articles (as most words of a real archive are), some
#: inflected, one a two-word query; one third are broad words found in a third of the
#: archive (every article of their language: the generated bodies reuse a small set
#: of sentences), a phrase among them. Latencies are reported for both groups.
SELECTIVE = [
    ("медиация", None, None),
    ("медиацию", "ru", None),
    ("татулық", "kk", None),
    ("mediation", "en", None),
    ("этномедиация", None, None),
    ("профилактика конфликтов", None, None),
    ("festival", "en", "2020"),
    ("концерт", "ru", "2022"),
]
BROAD = [
    ("молодёжи", None, None),
    ('"общественного согласия"', "ru", None),
    ("жастардың", "kk", "2022"),
    ("youth accord", "en", None),
]
QUERIES = SELECTIVE + BROAD
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def corpus(archive: Archive) -> dict[str, tuple[list[str], list[str]]]:
    """Per language: (titles, sentences) of the fixture archive's news articles."""
    snapshot = archive.phases[1]
    found: dict[str, tuple[list[str], list[str]]] = {}
    for lang, stories in snapshot.news.items():
        titles = [s.title for s in stories]
        sentences = [part for s in stories for p in s.paragraphs for part in _SENTENCE.split(p)]
        found[lang] = (titles, sorted(set(sentences)))
    return found


def make_articles(words: dict, start: int, count: int, total: int) -> list[Article]:
    """Articles number ``start`` to ``start + count - 1`` of an archive of ``total``,
    about :data:`BODY_BYTES` each, published evenly from 2015 to 2024; the same numbers
    always give the same articles."""
    rng = random.Random(start)
    langs = sorted(words)
    step = (LAST - FIRST) / total
    articles = []
    for number in range(start, start + count):
        lang = langs[number % len(langs)]
        titles, sentences = words[lang]
        when = FIRST + step * number + timedelta(minutes=rng.randrange(40))
        views = rng.randrange(40, 30000)
        articles.append(
            Article(
                url=f"https://bench.example/{lang}/news/{number}/",
                lang=lang,
                title=f"{rng.choice(titles)} ({number})",
                published=when.strftime("%Y-%m-%dT%H:%M"),
                published_raw=when.strftime("%d.%m.%Y %H:%M"),
                views=views,
                views_raw=str(views),
                body=_body(rng, sentences),
                category=None,
                image_urls=[f"https://bench.example/upload/iblock/{number % 997}/{number}.jpg"],
                fetched_at="2026-01-01T00:00:00Z",
            )
        )
    return articles


def _body(rng: random.Random, sentences: list[str]) -> str:
    paragraphs, paragraph, size = [], [], 0
    while size < BODY_BYTES:
        sentence = rng.choice(sentences)
        paragraph.append(sentence)
        size += len(sentence.encode()) + 1
        if len(paragraph) == 4:
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs)


def build(path: Path, archive: Archive, count: int, log=print) -> dict:
    """Create the archive at ``path`` unless one of this size is there already."""
    from crawler.archive.search import FTS_TRIGGERS, ensure_fts
    from crawler.archive.store import ArchiveStore

    done = path.with_suffix(".done")
    if path.exists() and done.exists() and done.read_text() == f"{count} {FORMAT_VERSION}":
        log(f"  reusing {path}")
        return {"built": False}
    for stale in (
        path,
        done,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    words = corpus(archive)
    store = ArchiveStore(path)
    for trigger in FTS_TRIGGERS:
        store.db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        store.save_articles(
            make_articles(words, start, min(BATCH, count - start), count), crawl_id=1
        )
    loaded = time.perf_counter() - started
    ensure_fts(store.db)  # rebuilds the index in one pass and puts the triggers back
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    total = time.perf_counter() - started
    done.write_text(f"{count} {FORMAT_VERSION}")
    log(
        f"  built {count:,} articles in {total:.1f} s ({loaded:.1f} s rows, "
        f"{total - loaded:.1f} s index), {path.stat().st_size / 1e6:,.0f} MB"
    )
    return {"built": True, "build_s": total, "load_s": loaded, "index_s": total - loaded}


def export_figures(db: Path, outdir: Path, log=print) -> dict:
    """``news-archive export`` to CSV, JSON Lines and xlsx (subprocesses), and the sqlite3
    tool."""
    try:
        import crawler.archive.export  # noqa: F401
    except ImportError as exc:
        return {"skipped": f"export not available: {exc}"}
    result = {}
    for fmt in ("csv", "jsonl", "xlsx"):
        out = outdir / f"export.{fmt}"
        child = children.python(
            "-m", "crawler", "export", "--db", str(db), "--format", fmt, "-o", str(out)
        )
        if child.returncode != 0:
            result[fmt] = {"error": child.stderr.strip()[-500:]}
            continue
        result[fmt] = {
            "wall_s": child.wall_s,
            "peak_rss_mb": child.peak_rss_mb,
            "mb": out.stat().st_size / 1e6,
        }
        log(
            f"  export {fmt:5}: {child.wall_s:5.2f} s, peak RSS {child.peak_rss_mb:5.1f} MB, "
            f"{result[fmt]['mb']:,.0f} MB written"
        )
        out.unlink()
    result["sqlite3_csv"] = _sqlite3_floor(db, outdir / "floor.csv", log)
    return result


def _sqlite3_floor(db: Path, out: Path, log) -> dict | None:
    import shutil

    tool = shutil.which("sqlite3")
    if tool is None:
        return None
    sql = "SELECT * FROM articles ORDER BY published, url"
    child = children.run([tool, "-csv", "-header", str(db), sql], stdout_path=out)
    out.unlink(missing_ok=True)
    log(f"  sqlite3 -csv (floor): {child.wall_s:5.2f} s, peak RSS {child.peak_rss_mb:5.1f} MB")
    return {"wall_s": child.wall_s, "peak_rss_mb": child.peak_rss_mb}


def search_figures(db: Path, repeats: int, log=print) -> dict:
    """Latency of :func:`crawler.archive.search.search` (in this process, after a warm-up pass)
    over :data:`QUERIES`; and one ``news-archive search`` subprocess, start-up included."""
    try:
        from crawler.archive.database import open_database
        from crawler.archive.filters import ArticleFilter
        from crawler.archive.search import match_expression, search
    except ImportError as exc:
        return {"skipped": f"search not available: {exc}"}
    database = open_database(db, create=False)
    filters = [
        ArticleFilter(lang, date(int(since), 1, 1) if since else None, None)
        for _text, lang, since in QUERIES
    ]
    count = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    matches = [
        database.execute(count, [match_expression(text, lang)]).fetchone()[0]
        for text, lang, _since in QUERIES
    ]
    for (text, _lang, _since), query_filter in zip(QUERIES, filters, strict=True):
        search(database, text, query_filter)  # warm-up: the pages the query reads
    per_query: list[list[float]] = [[] for _ in QUERIES]
    for _ in range(repeats):
        for times, (text, _l, _s), query_filter in zip(per_query, QUERIES, filters, strict=True):
            started = time.perf_counter()
            search(database, text, query_filter)
            times.append((time.perf_counter() - started) * 1000)
    database.conn.close()
    child = children.python("-m", "crawler", "search", "медиация", "--db", str(db))
    result = {
        "api": "crawler.archive.search.search, in process, after one warm-up pass",
        **_latencies(sorted(t for times in per_query for t in times)),
        "selective_median_ms": statistics.median(
            t for times in per_query[: len(SELECTIVE)] for t in times
        ),
        "broad_median_ms": statistics.median(
            t for times in per_query[len(SELECTIVE) :] for t in times
        ),
        "per_query": [
            {
                "query": q[0],
                "lang": q[1],
                "since": q[2],
                "matches": n,
                "median_ms": statistics.median(t),
            }
            for q, n, t in zip(QUERIES, matches, per_query, strict=True)
        ],
        "cli_wall_s": child.wall_s,
    }
    log(
        f"  search: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
        f"({result['calls']} calls); topic words {result['selective_median_ms']:.1f} ms, "
        f"broad words {result['broad_median_ms']:.1f} ms; one CLI search with start-up "
        f"{child.wall_s:.2f} s"
    )
    return result


def _latencies(ordered: list[float]) -> dict:
    return {
        "calls": len(ordered),
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[round(0.95 * (len(ordered) - 1))],
        "max_ms": ordered[-1],
    }
