"""Which articles a reading command takes: :class:`ArticleFilter` (language, span of
publication days), :func:`parse_date_bound` (``--since`` / ``--until``) and
:func:`check_lang` (a language the archive has).

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
    """Which articles a command works on: one language, a span of publication days.

    ``since`` and ``until`` are inclusive; an article without a date is left out as
    soon as either is given.
    """

    lang: str | None = None
    since: date | None = None
    until: date | None = None

    def where(self, alias: str = "") -> tuple[str, list]:
        """An SQL condition over ``articles`` (``""`` when nothing is filtered)."""
        prefix = f"{alias}." if alias else ""
        clauses, params = [], []
        if self.lang:
            clauses.append(f"{prefix}lang = ?")
            params.append(self.lang)
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
