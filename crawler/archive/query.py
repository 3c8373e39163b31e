"""Read-only SQL for researchers (``news-archive query``) and how its rows are printed.

:func:`connect_read_only` opens the database so that nothing can change it: a
``mode=ro`` URI, ``PRAGMA query_only`` and an authorizer that refuses every statement
but reading (``ATTACH`` included, which would create a file). :func:`format_table` and
:func:`write_json_list` print the rows.

Imports: the standard library, tabulate and :mod:`crawler.archive.database` — no Scrapy.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tabulate import tabulate

from crawler.archive.database import StorageError
from crawler.archive.database import connect_read_only as database_read_only

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


#: Functions refused even though they only "read": ``fts3_tokenizer()`` hands out a
#: tokenizer's address, and with two arguments registers one (code at any address).
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension"})
#: ``--timeout`` default: seconds a statement may run.
DEFAULT_TIMEOUT = 60.0
#: SQLite virtual machine steps between two looks at the clock and at Ctrl-C.
PROGRESS_STEPS = 10_000
#: Errors that say the file is damaged, not the SQL wrong (exit status 4, not 2).
_DAMAGE = ("malformed", "not a database", "disk i/o error", "file is not a database", "corrupt")
_FIRST_WORD = re.compile(r"\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*([A-Za-z]+)", re.S)
#: First words of statements that write; a refusal names the one the user wrote.
_WRITING_WORDS = frozenset(
    "INSERT UPDATE DELETE REPLACE CREATE DROP ALTER ATTACH DETACH VACUUM REINDEX "
    "ANALYZE BEGIN COMMIT END ROLLBACK SAVEPOINT RELEASE UPSERT".split()
)


class ReadOnlyError(Exception):
    """A statement tried to change something and was refused."""


class QueryError(Exception):
    """The SQL could not run (syntax error, unknown table, ...)."""


class QueryTimeout(Exception):
    """The statement ran longer than its time limit and was stopped."""


class QueryInterrupted(Exception):
    """The statement was stopped by Ctrl-C."""


@dataclass
class _Guard:
    """An authorizer that allows reading only and remembers what it refused."""

    refused: list[str] = field(default_factory=list)

    def __call__(self, action: int, arg1, arg2, db_name, trigger) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            self.refused.append(f"function {arg2.lower()}()")
            return sqlite3.SQLITE_DENY
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
    """A connection that cannot write to ``path``, nor create or attach any file
    (:func:`crawler.archive.database.connect_read_only`, plus ``query_only`` and an
    authorizer)."""
    conn = database_read_only(path)
    try:
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StorageError(f"cannot open database {path}: {exc}") from None
    guard = _Guard()
    conn.set_authorizer(guard)
    return conn, guard


class Limits:
    """Stop a running statement after ``timeout`` seconds (None: never) or at Ctrl-C,
    through SQLite's progress handler: the statement ends with "interrupted" and
    :func:`run_query` raises :class:`QueryTimeout` or :class:`QueryInterrupted`."""

    def __init__(self, conn: sqlite3.Connection, timeout: float | None = DEFAULT_TIMEOUT):
        self.conn = conn
        self.timeout = timeout
        self.deadline = None if not timeout else time.monotonic() + timeout
        self.timed_out = False
        self.interrupted = False
        self._previous = None

    def _progress(self) -> int:
        if self.interrupted:
            return 1
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.timed_out = True
            return 1
        return 0

    def _on_sigint(self, signum, frame) -> None:
        self.interrupted = True
        self.conn.interrupt()

    def __enter__(self) -> Limits:
        self.conn.set_progress_handler(self._progress, PROGRESS_STEPS)
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc) -> None:
        self.conn.set_progress_handler(None, PROGRESS_STEPS)
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def stopped(self) -> Exception | None:
        """Why the statement stopped early, if it did."""
        if self.interrupted:
            return QueryInterrupted("query interrupted (Ctrl-C)")
        if self.timed_out:
            return QueryTimeout(
                f"query stopped after {self.timeout:g} s (--timeout; 0 for no limit)"
            )
        return None


def run_query(
    conn: sqlite3.Connection,
    guard: _Guard,
    sql: str,
    params: dict | list | None = None,
    limits: Limits | None = None,
) -> tuple[list[str], Iterator[tuple]]:
    """Run one statement; return its column names and a cursor over its rows.

    Raises :class:`ReadOnlyError` for a write, :class:`QueryError` for any other error
    (an empty statement too), :class:`StorageError` for a damaged database and, with
    ``limits``, :class:`QueryTimeout` or :class:`QueryInterrupted`.
    """
    if not sql.strip() or not sql.strip().strip(";").strip():
        raise QueryError("nothing to run: the SQL statement is empty")
    try:
        cursor = conn.execute(sql, params or [])
    except (sqlite3.Error, sqlite3.Warning) as exc:
        raise _query_error(exc, guard, sql, limits) from None
    columns = [d[0] for d in cursor.description or ()]
    return columns, _rows(cursor, guard, sql, limits)


def _rows(
    cursor: sqlite3.Cursor, guard: _Guard, sql: str, limits: Limits | None
) -> Iterator[tuple]:
    try:
        yield from cursor
    except sqlite3.Error as exc:
        raise _query_error(exc, guard, sql, limits) from None


def _query_error(
    exc: Exception, guard: _Guard, sql: str = "", limits: Limits | None = None
) -> Exception:
    message = str(exc)
    stopped = limits.stopped() if limits is not None else None
    if stopped is not None:
        return stopped
    if any(word in message.lower() for word in _DAMAGE):
        return StorageError(f"cannot read the database: {message}")
    if guard.refused or "readonly" in message or "read-only" in message:
        return ReadOnlyError(
            f"refused{_what_was_refused(sql, guard)}: query is read-only, it cannot change anything"
        )
    if message == "not authorized":
        return ReadOnlyError("refused: query is read-only, it cannot change anything")
    return QueryError(f"SQL error: {message}")


def _what_was_refused(sql: str, guard: _Guard) -> str:
    """`` (DROP)`` — the statement as the user wrote it — or what the authorizer
    refused inside a reading statement (`` (function fts3_tokenizer())``)."""
    found = _FIRST_WORD.match(sql)
    word = found.group(1).upper() if found else ""
    if word in _WRITING_WORDS:
        return f" ({word})"
    return f" ({guard.refused[-1]})" if guard.refused else ""


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
