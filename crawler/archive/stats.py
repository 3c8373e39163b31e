"""Figures about the archive (:func:`archive_stats`) and their short report
(:func:`format_stats`): articles per language, year and month, date range, views,
field coverage, the last crawl; per site, the same coverage, the span of publication
days and the site's last crawl (``crawl_sites`` joined with ``crawls``). An
:class:`~crawler.archive.filters.ArticleFilter` with sites limits every figure to them.

Read-only SQL over an open sqlite-utils database. Imports: the standard library,
sqlite-utils, tabulate and :mod:`crawler.archive.filters`.
"""

from __future__ import annotations

import sqlite_utils
from tabulate import tabulate

from crawler.archive.filters import ArticleFilter

_COVERAGE = {
    "title": "title IS NOT NULL AND title != ''",
    "published": "published IS NOT NULL",
    "views": "views IS NOT NULL",
    "body": "body IS NOT NULL AND body != ''",
}


def archive_stats(db: sqlite_utils.Database, filters: ArticleFilter | None = None) -> dict:
    """Figures about the archive (the articles ``filters`` selects): counts per
    language, year and month, date range, view totals, field coverage, the last crawl,
    and the same per site (``sites``). Plain JSON-ready values."""
    filters = filters or ArticleFilter()
    where, params = filters.where()
    where = f" WHERE {where}" if where else ""
    total = db.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0]
    coverage_sql = ", ".join(f"sum({cond})" for cond in _COVERAGE.values())
    have = db.execute(f"SELECT {coverage_sql} FROM articles{where}", params).fetchone()
    first, last = db.execute(
        f"SELECT min(published), max(published) FROM articles{where}", params
    ).fetchone()
    views_total, views_max = db.execute(
        f"SELECT sum(views), max(views) FROM articles{where}", params
    ).fetchone()
    return {
        "articles": total,
        "languages": _counts(db, "coalesce(lang, '?')", where, params),
        "years": _counts(db, "coalesce(substr(published, 1, 4), '?')", where, params),
        "months": _months(db, where, params),
        "published": {"first": first, "last": last},
        "views": {"total": views_total or 0, "max": views_max},
        "coverage": _coverage(have, total),
        "last_crawl": _last_crawl(db, filters.sites),
        "site_filter": list(filters.sites) or None,
        "article_filter": _described(filters),
        "sites": _sites(db, filters.sites, where, params),
    }


def _coverage(have, total: int) -> dict[str, dict]:
    return {
        name: {"articles": n or 0, "share": round((n or 0) / total, 4) if total else None}
        for name, n in zip(_COVERAGE, have, strict=True)
    }


def _counts(db: sqlite_utils.Database, key: str, where: str, params: list) -> dict[str, int]:
    sql = f"SELECT {key} AS k, count(*) FROM articles{where} GROUP BY k ORDER BY k"
    return dict(db.execute(sql, params).fetchall())


def _months(db: sqlite_utils.Database, where: str, params: list) -> dict[str, dict[str, int]]:
    """``{"2022-08": {"ru": 3, "kk": 1}, ...}``; ``"?"`` for no date or language."""
    sql = (
        "SELECT coalesce(substr(published, 1, 7), '?') AS month, coalesce(lang, '?') AS l, "
        f"count(*) FROM articles{where} GROUP BY month, l ORDER BY month, l"
    )
    months: dict[str, dict[str, int]] = {}
    for month, lang, count in db.execute(sql, params):
        months.setdefault(month, {})[lang] = count
    return months


def _last_crawl(db: sqlite_utils.Database, sites: tuple[str, ...] = ()) -> dict | None:
    """The latest ``crawls`` row; with ``sites``, the latest run that crawled one of
    them, and for one site its own figures and verdict (``crawl_sites``) over the
    run's."""
    if not db["crawls"].exists():
        return None
    if not sites:
        rows = list(db.query("SELECT * FROM crawls ORDER BY id DESC LIMIT 1"))
        return rows[0] if rows else None
    if len(sites) == 1:
        return _site_last_crawl(db, sites[0])
    if not db["crawl_sites"].exists():
        return None
    marks = ", ".join("?" * len(sites))
    sql = (
        "SELECT * FROM crawls WHERE id = "
        f"(SELECT max(crawl_id) FROM crawl_sites WHERE site IN ({marks}))"
    )
    rows = list(db.query(sql, list(sites)))
    return rows[0] if rows else None


def _site_last_crawl(db: sqlite_utils.Database, site: str) -> dict | None:
    """The site's latest run: the ``crawls`` row (``run_status``: the run's status)
    with the site's ``crawl_sites`` figures, status and summary over the run's."""
    if not db["crawl_sites"].exists():
        return None
    sql = "SELECT * FROM crawl_sites WHERE site = ? ORDER BY crawl_id DESC LIMIT 1"
    found = list(db.query(sql, [site]))
    if not found:
        return None
    own = found[0]
    runs = list(db.query("SELECT * FROM crawls WHERE id = ?", [own["crawl_id"]]))
    run = runs[0] if runs else {"id": own["crawl_id"]}
    return {**run, "run_status": run.get("status"), **own}


def _sites(
    db: sqlite_utils.Database, selected: tuple[str, ...], where: str, params: list
) -> list[dict]:
    """Per site (``None``: articles stored before sites were named): articles, field
    coverage, first and last publication day and the site's last crawl. Sites that
    crawls recorded but that hold no article yet are listed with 0 articles."""
    site = "site" if "site" in db["articles"].columns_dict else "NULL"
    coverage_sql = ", ".join(f"sum({cond})" for cond in _COVERAGE.values())
    sql = (
        f"SELECT {site} AS s, count(*), min(published), max(published), {coverage_sql} "
        f"FROM articles{where} GROUP BY s ORDER BY s IS NULL, s"
    )
    rows = {}
    for name, total, first, last, *have in db.execute(sql, params):
        rows[name] = {
            "site": name,
            "articles": total,
            "published": {"first": first, "last": last},
            "coverage": _coverage(have, total),
        }
    if db["crawl_sites"].exists():
        for (name,) in db.execute("SELECT DISTINCT site FROM crawl_sites ORDER BY site"):
            if name not in rows and (not selected or name in selected):
                rows[name] = {
                    "site": name,
                    "articles": 0,
                    "published": {"first": None, "last": None},
                    "coverage": _coverage((0,) * len(_COVERAGE), 0),
                }
    ordered = sorted(rows.values(), key=lambda r: (r["site"] is None, r["site"] or ""))
    for row in ordered:
        row["last_crawl"] = _site_last_crawl(db, row["site"]) if row["site"] else None
    return ordered


# -- printing --------------------------------------------------------------------


def _share(figure: dict) -> str:
    share = figure["share"]
    return "n/a" if share is None else f"{share:.1%} ({figure['articles']})"


def _described(filters: ArticleFilter) -> str | None:
    """``--lang``/``--since``/``--until`` as one line (None: every article)."""
    parts = []
    if filters.lang:
        parts.append(f"language {filters.lang}")
    if filters.since or filters.until:
        parts.append(f"published {filters.since or '…'} to {filters.until or '…'}")
    return "; ".join(parts) or None


def format_stats(stats: dict) -> str:
    """The figures of :func:`archive_stats` as a short report."""
    languages = ", ".join(f"{k} {v}" for k, v in stats["languages"].items()) or "none"
    published = stats["published"]
    coverage = " · ".join(f"{name} {_share(f)}" for name, f in stats["coverage"].items())
    lines = []
    if stats.get("site_filter"):
        lines.append(f"Site: {', '.join(stats['site_filter'])}")
    if stats.get("article_filter"):
        lines.append(f"Only: {stats['article_filter']}")
    lines += [
        f"Articles: {stats['articles']} ({languages})",
        f"Published: {published['first'] or '?'} to {published['last'] or '?'}",
        f"Views: {stats['views']['total']} in total, at most {stats['views']['max'] or 0}",
        f"With: {coverage}",
        f"Last crawl: {_crawl_line(stats['last_crawl'])}",
    ]
    if len(stats.get("sites") or ()) > 1:
        lines += ["", "Per site:", *_by_site(stats["sites"])]
    lines += [
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


def _percent(figure: dict) -> str:
    share = figure["share"]
    return "n/a" if share is None else f"{share:.1%}"


def _by_site(sites: list[dict]) -> list[str]:
    """The per-site table, then the reasons of each site unhealthy at its last crawl."""
    rows, reasons = [], []
    for site in sites:
        name = site["site"] or "?"
        coverage = site["coverage"]
        crawl = site["last_crawl"]
        rows.append(
            [
                name,
                site["articles"],
                *(_percent(coverage[k]) for k in ("published", "views", "title", "body")),
                (site["published"]["first"] or "?")[:10],
                (site["published"]["last"] or "?")[:10],
                _site_crawl_cell(crawl),
            ]
        )
        if crawl and crawl.get("summary") and crawl.get("status") != "ok":
            reasons.append(f"{name}: {crawl['summary']}")
    headers = ["site", "articles", "date", "views", "title", "body", "first", "last", "last crawl"]
    align = ("left", *("right",) * 5, "left", "left", "left")
    lines = tabulate(
        rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align
    ).splitlines()
    if any(site["site"] is None for site in sites):
        lines.append("?: articles stored before sites were named (the next crawl names them)")
    if reasons:
        lines += ["Unhealthy at their last crawl:", *(f"  {line}" for line in reasons)]
    return lines


def _site_crawl_cell(crawl: dict | None) -> str:
    """``#3 2026-12-07T10:00:00Z ok``: the run, when it finished, the site's verdict (and
    the run's own status when it did not finish normally: aborted, interrupted)."""
    if crawl is None:
        return "none recorded"
    cell = f"#{crawl['id']} {crawl.get('finished_at') or 'not finished'} {crawl.get('status')}"
    run = crawl.get("run_status")
    if run and run not in ("ok", "unhealthy"):
        cell += f" (run {run})"
    return cell
