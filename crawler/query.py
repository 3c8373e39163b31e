"""Reading the archive for researchers: filters, read-only SQL, and statistics.

No Scrapy import. :func:`connect_read_only` opens the database so that nothing can
change it: a ``mode=ro`` URI, ``PRAGMA query_only`` and an authorizer that refuses
every statement but reading (``ATTACH`` included, which would create a file).
"""

from __future__ import annotations

import calendar
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import quote

import sqlite_utils
from tabulate import tabulate

from crawler.storage import BUSY_TIMEOUT_MS, StorageError

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


# -- read-only SQL -------------------------------------------------------------

#: Pragmas that only read, whatever their argument (a table or index name).
TABLE_PRAGMAS = frozenset(
    "table_info table_xinfo table_list index_list index_info index_xinfo "
    "foreign_key_list foreign_key_check integrity_check quick_check".split()
)
#: Pragmas that only read when given no value (``PRAGMA user_version`` but not
#: ``PRAGMA user_version = 2``).
READ_PRAGMAS = frozenset(
    "application_id auto_vacuum collation_list compile_options data_version database_list "
    "encoding foreign_keys freelist_count function_list journal_mode module_list page_count "
    "page_size pragma_list query_only schema_version user_version".split()
)
_ALLOWED_ACTIONS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}
#: Connecting to a virtual table (FTS5) asks to "update" the schema table; the schema
#: cannot change on this connection anyway (``mode=ro``, no ``writable_schema``).
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema"})
#: Authorizer action codes by name, for the refusal message.
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in (
        "CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER "
        "CREATE_TEMP_VIEW CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE "
        "DROP_TEMP_INDEX DROP_TEMP_TABLE DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER "
        "DROP_VIEW INSERT PRAGMA TRANSACTION UPDATE ATTACH DETACH ALTER_TABLE REINDEX "
        "ANALYZE CREATE_VTABLE DROP_VTABLE SAVEPOINT"
    ).split()
}


class ReadOnlyError(Exception):
    """A statement tried to change something and was refused."""


class QueryError(Exception):
    """The SQL could not run (syntax error, unknown table, ...)."""


@dataclass
class _Guard:
    """An authorizer that allows reading only and remembers what it refused."""

    refused: list[str] = field(default_factory=list)

    def __call__(self, action: int, arg1, arg2, db_name, trigger) -> int:
        if action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 in _SCHEMA_TABLES and trigger is None:
            return sqlite3.SQLITE_OK  # asked when an FTS5 table is first read; no write
        if action == sqlite3.SQLITE_PRAGMA and (
            arg1 in TABLE_PRAGMAS or (arg1 in READ_PRAGMAS and arg2 is None)
        ):
            return sqlite3.SQLITE_OK
        what = _ACTION_NAMES.get(action, f"action {action}")
        target = next((a for a in (arg1, arg2) if a), None)
        self.refused.append(f"{what} {target}" if target else what)
        return sqlite3.SQLITE_DENY


def connect_read_only(path: str | Path) -> tuple[sqlite3.Connection, _Guard]:
    """A connection that cannot write to ``path``, nor create or attach any file."""
    path = Path(path)
    if not path.is_file():
        raise StorageError(f"database not found: {path}")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot open database {path}: {exc}") from None
    guard = _Guard()
    conn.set_authorizer(guard)
    return conn, guard


def run_query(
    conn: sqlite3.Connection, guard: _Guard, sql: str, params: dict | list | None = None
) -> tuple[list[str], Iterator[tuple]]:
    """Run one statement; return its column names and a cursor over its rows.

    Raises :class:`ReadOnlyError` for a write, :class:`QueryError` for any other error.
    """
    try:
        cursor = conn.execute(sql, params or [])
    except (sqlite3.Error, sqlite3.Warning) as exc:
        raise _query_error(exc, guard) from None
    columns = [d[0] for d in cursor.description or ()]
    return columns, _rows(cursor, guard)


def _rows(cursor: sqlite3.Cursor, guard: _Guard) -> Iterator[tuple]:
    try:
        yield from cursor
    except sqlite3.Error as exc:
        raise _query_error(exc, guard) from None


def _query_error(exc: Exception, guard: _Guard) -> Exception:
    message = str(exc)
    if guard.refused or "readonly" in message or "read-only" in message:
        what = f" ({guard.refused[-1]})" if guard.refused else ""
        return ReadOnlyError(f"refused{what}: query is read-only, it cannot change anything")
    if message == "not authorized":
        return ReadOnlyError("refused: query is read-only, it cannot change anything")
    return QueryError(f"SQL error: {message}")


# -- statistics ----------------------------------------------------------------

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

#: The table view shortens values to this many characters (--csv/--json keep them whole).
TABLE_CELL_WIDTH = 60


def _cell(value: object) -> object:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    if len(text) > TABLE_CELL_WIDTH:
        return text[: TABLE_CELL_WIDTH - 1] + "…"
    return text


def format_table(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    """Rows as a plain-text table, long values shortened, ``NULL`` shown empty."""
    body = [[_cell(v) for v in row] for row in rows]
    return tabulate(body, headers=list(columns), tablefmt="simple", disable_numparse=True)


def write_json_list(out: IO[str], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Rows as a JSON list of objects, written one object at a time."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n " if count else "\n ")
        record = dict(zip(columns, row, strict=True))
        out.write(json.dumps(record, ensure_ascii=False, default=_bytes_as_hex))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _bytes_as_hex(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


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
    span = f"{crawl.get('started_at')} to {crawl.get('finished_at') or 'not finished'}"
    return f"#{crawl['id']} {crawl.get('status')}, {span}: {counts}"
