"""Which articles a reading command takes: :class:`ArticleFilter` (language, sites, span
of publication days), :func:`parse_date_bound` (``--since`` / ``--until``),
:func:`check_lang` (a language the archive has) and :func:`check_sites` (sites it
holds).

Shared by search, export and the command line. Imports: the standard library and
sqlite-utils only — nothing from ``crawler``, so any module may import it without a
cycle.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

_DATE_BOUND = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date_bound(text: str, *, end: bool = False) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a day: the first day of that period,
    or its last day when ``end`` (so ``--until 2022-08`` takes in 31 August).

    Raises :class:`ValueError` with a readable message.
    """
    found = _DATE_BOUND.fullmatch(text.strip())
    if not found:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in found.groups())
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end else 1)
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a date: {text!r} ({exc})") from None


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a command works on: one language, a span of publication days,
    one or more sites (``articles.site``; ``()``: every site).

    ``since`` and ``until`` are inclusive; an article without a date is left out as
    soon as either is given, one without a site as soon as ``sites`` is.
    """

    lang: str | None = None
    since: date | None = None
    until: date | None = None
    sites: tuple[str, ...] = ()

    def where(self, alias: str = "") -> tuple[str, list]:
        """An SQL condition over ``articles`` (``""`` when nothing is filtered)."""
        prefix = f"{alias}." if alias else ""
        clauses, params = [], []
        if self.lang:
            clauses.append(f"{prefix}lang = ?")
            params.append(self.lang)
        if self.sites:
            clauses.append(f"{prefix}site IN ({', '.join('?' * len(self.sites))})")
            params.extend(self.sites)
        if self.since:
            clauses.append(f"{prefix}published >= ?")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append(f"{prefix}published < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
        return " AND ".join(clauses), params


def check_lang(db: sqlite_utils.Database, lang: str | None) -> None:
    """Raise ValueError for a language the archive does not have (``--lang kz`` for
    ``kk``); an archive without any language accepts every ``lang``."""
    if lang is None:
        return
    sql = "SELECT DISTINCT lang FROM articles WHERE lang IS NOT NULL ORDER BY lang"
    known = [row[0] for row in db.execute(sql)]
    if known and lang not in known:
        raise ValueError(f"no article in language {lang!r} (the archive has {', '.join(known)})")


def known_sites(db: sqlite_utils.Database) -> list[str]:
    """The sites the archive holds, sorted: those of its articles and those its crawls
    recorded (a site whose crawls stored nothing yet is still known). Empty for an
    archive made before sites were named."""
    found: set[str] = set()
    if "site" in db["articles"].columns_dict:
        sql = "SELECT DISTINCT site FROM articles WHERE site IS NOT NULL"
        found.update(row[0] for row in db.execute(sql))
    if db["crawl_sites"].exists():
        found.update(row[0] for row in db.execute("SELECT DISTINCT site FROM crawl_sites"))
    return sorted(found)


def check_sites(db: sqlite_utils.Database, sites: tuple[str, ...] | list[str]) -> None:
    """Raise ValueError naming a site the archive does not hold (``--site`` with a
    typo), with the sites it has."""
    if not sites:
        return
    known = known_sites(db)
    unknown = [site for site in sites if site not in known]
    if not unknown:
        return
    shown = ", ".join(repr(site) for site in unknown)
    if known:
        has = f"the archive has {', '.join(known)}"
    else:
        has = "the archive names no site yet: its next crawl names them"
    raise ValueError(f"no site {shown} in the archive ({has})")
