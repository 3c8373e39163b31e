"""Read-only SQL for researchers (``news-archive query``) and how its rows are printed.

:func:`connect_read_only` opens the database so that nothing can change it: a
``mode=ro`` URI, ``PRAGMA query_only`` and an authorizer that refuses every statement
but reading (``ATTACH`` included, which would create a file). :func:`format_table` and
:func:`write_json_list` print the rows.

Imports: the standard library, tabulate and :mod:`crawler.archive.database` — no Scrapy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

from tabulate import tabulate

from crawler.archive.database import BUSY_TIMEOUT_MS, StorageError

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
