"""Figures about the archive (:func:`archive_stats`) and their short report
(:func:`format_stats`): articles per language, year and month, date range, views,
field coverage, the last crawl.

Read-only SQL over an open sqlite-utils database. Imports: the standard library,
sqlite-utils and tabulate — nothing from ``crawler``.
"""

from __future__ import annotations

import sqlite_utils
from tabulate import tabulate

_COVERAGE = {
    "title": "title IS NOT NULL AND title != ''",
    "published": "published IS NOT NULL",
    "views": "views IS NOT NULL",
    "body": "body IS NOT NULL AND body != ''",
}


def archive_stats(db: sqlite_utils.Database) -> dict:
    """Figures about the archive: counts per language, year and month, date range,
    view totals, field coverage and the last crawl. Plain JSON-ready values."""
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    coverage_sql = ", ".join(f"sum({cond})" for cond in _COVERAGE.values())
    have = db.execute(f"SELECT {coverage_sql} FROM articles").fetchone()
    first, last = db.execute("SELECT min(published), max(published) FROM articles").fetchone()
    views_total, views_max = db.execute("SELECT sum(views), max(views) FROM articles").fetchone()
    return {
        "articles": total,
        "languages": _counts(db, "coalesce(lang, '?')"),
        "years": _counts(db, "coalesce(substr(published, 1, 4), '?')"),
        "months": _months(db),
        "published": {"first": first, "last": last},
        "views": {"total": views_total or 0, "max": views_max},
        "coverage": {
            name: {"articles": n or 0, "share": round((n or 0) / total, 4) if total else None}
            for name, n in zip(_COVERAGE, have, strict=True)
        },
        "last_crawl": _last_crawl(db),
    }


def _counts(db: sqlite_utils.Database, key: str) -> dict[str, int]:
    sql = f"SELECT {key} AS k, count(*) FROM articles GROUP BY k ORDER BY k"
    return dict(db.execute(sql).fetchall())


def _months(db: sqlite_utils.Database) -> dict[str, dict[str, int]]:
    """``{"2022-08": {"ru": 3, "kk": 1}, ...}``; ``"?"`` for no date or language."""
    sql = (
        "SELECT coalesce(substr(published, 1, 7), '?') AS month, coalesce(lang, '?') AS l, "
        "count(*) FROM articles GROUP BY month, l ORDER BY month, l"
    )
    months: dict[str, dict[str, int]] = {}
    for month, lang, count in db.execute(sql):
        months.setdefault(month, {})[lang] = count
    return months


def _last_crawl(db: sqlite_utils.Database) -> dict | None:
    if not db["crawls"].exists():
        return None
    rows = list(db.query("SELECT * FROM crawls ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


# -- printing --------------------------------------------------------------------


def _share(figure: dict) -> str:
    share = figure["share"]
    return "n/a" if share is None else f"{share:.1%} ({figure['articles']})"


def format_stats(stats: dict) -> str:
    """The figures of :func:`archive_stats` as a short report."""
    languages = ", ".join(f"{k} {v}" for k, v in stats["languages"].items()) or "none"
    published = stats["published"]
    coverage = " · ".join(f"{name} {_share(f)}" for name, f in stats["coverage"].items())
    lines = [
        f"Articles: {stats['articles']} ({languages})",
        f"Published: {published['first'] or '?'} to {published['last'] or '?'}",
        f"Views: {stats['views']['total']} in total, at most {stats['views']['max'] or 0}",
        f"With: {coverage}",
        f"Last crawl: {_crawl_line(stats['last_crawl'])}",
        "",
        "Per year and language:",
        _by_language(
            {year: {} for year in stats["years"]}, stats["months"], lambda month: month[:4]
        ),
        "",
        "Per month and language:",
        _by_language({month: {} for month in stats["months"]}, stats["months"], str),
    ]
    return "\n".join(lines)


def _by_language(periods: dict, months: dict, period_of) -> str:
    languages = sorted({lang for counts in months.values() for lang in counts})
    for month, counts in months.items():
        into = periods.setdefault(period_of(month), {})
        for lang, n in counts.items():
            into[lang] = into.get(lang, 0) + n
    rows = [
        [period, *(counts.get(lang, 0) for lang in languages), sum(counts.values())]
        for period, counts in sorted(periods.items())
    ]
    return tabulate(rows, headers=["", *languages, "total"], tablefmt="simple")


def _crawl_line(crawl: dict | None) -> str:
    if not crawl:
        return "none recorded"
    counts = ", ".join(
        f"{crawl.get(f'articles_{k}') or 0} {k}" for k in ("new", "changed", "unchanged", "failed")
    )
    if crawl.get("status") == "running" or not crawl.get("finished_at"):
        span = f"started {crawl.get('started_at')}, not finished"
    else:
        span = f"{crawl.get('started_at')} to {crawl.get('finished_at')}"
    line = f"#{crawl['id']} {crawl.get('status')}, {span}: {counts}"
    if crawl.get("summary"):  # the reasons of an unhealthy or aborted run
        line += f" — {crawl['summary']}"
    return line
