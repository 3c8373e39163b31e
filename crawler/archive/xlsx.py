"""Excel workbooks (``export --format xlsx``): every value exactly as scraped, typed.

Written by XlsxWriter in constant-memory mode: each row goes to disk as it is written,
so memory stays flat however large the archive (openpyxl's write-only mode was
measured too: see BENCHMARKS.md, "Export to xlsx").

- One sheet named after the dataset; a bold header row, frozen, with an autofilter.
- Text is always written as a text cell — never turned into a number, date, boolean or
  formula (``0012345``, ``2022-08-24``, ``TRUE``, ``1/2``, ``=…`` stay as they are, with
  no apostrophe).
- Integer columns are numbers; ``published`` is a date cell (``yyyy-mm-dd``, or a
  date-time when the page gave a time); ``first_seen``, ``last_seen``, ``seen_at``
  and ``failed_at`` are UTC date-times. A value of a date column that is not ISO 8601
  stays text, as it is.
- ``url`` is a hyperlink (Excel allows 65,530 per sheet; beyond that, or for a URL
  longer than 2,079 characters, the URL is plain text and a warning says how many).
- A cell holds at most 32,767 characters: a longer text is split over continuation
  columns (``body_2``, ``body_3``… right after ``body``), never cut; a warning says how
  many cells were split. Joining a column with its continuations gives the text back.

Imports: the standard library, XlsxWriter, sqlite-utils and
:mod:`crawler.archive.export` (rows, datasets), :mod:`crawler.archive.filters`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import sqlite_utils
import xlsxwriter

from crawler.archive.export import Dataset, ExportError, _ident, _select, _umask, iter_rows
from crawler.archive.filters import ArticleFilter

#: Excel's limit on the characters of one cell (counted in UTF-16 units).
CELL_LIMIT = 32_767
#: Excel's limits on hyperlinks: per worksheet, and per URL.
MAX_LINKS = 65_530
MAX_URL = 2_079
#: Columns holding a publication date (a date, or a date-time with a time).
DATE_COLUMNS = frozenset({"published"})
#: Columns holding a UTC time stamp written by the crawler.
TIMESTAMP_COLUMNS = frozenset({"first_seen", "last_seen", "seen_at", "failed_at", "resolved_at"})
LINK_COLUMNS = frozenset({"url"})
#: Column widths in characters (others: 14).
WIDTHS = {
    "url": 50,
    "title": 60,
    "body": 80,
    "published_raw": 18,
    "views_raw": 16,
    "category": 28,
    "image_urls": 40,
    "lastmod": 20,
}


@dataclass
class XlsxResult:
    rows: int = 0
    #: Cells whose text was split over continuation columns.
    split_cells: int = 0
    #: URLs written as plain text (over Excel's hyperlink limits).
    plain_urls: int = 0
    warnings: list[str] = field(default_factory=list)


def utf16_length(text: str) -> int:
    """The length of ``text`` as Excel counts it (astral characters count twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 units; joined, they are ``text``."""
    if len(text) <= limit // 2 or utf16_length(text) <= limit:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        while utf16_length(text[start:end]) > limit:
            end -= max(1, (utf16_length(text[start:end]) - limit))
        pieces.append(text[start:end])
        start = end
    return pieces


def parse_iso(value: str) -> date | datetime | None:
    """``2022-08-24`` → date, ``2022-08-24T10:15`` / ``…:00Z`` → datetime; else None."""
    text = value[:-1] if value.endswith("Z") else value
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if parsed.tzinfo else parsed


def pieces_needed(
    db: sqlite_utils.Database, dataset: Dataset, filters: ArticleFilter, columns: list[str]
) -> dict[str, int]:
    """How many cells the longest value of each text column needs, for the columns that
    need more than one, over the rows exported. One pass; only long values are read."""
    declared = db[dataset.table].columns_dict
    text_columns = [c for c in columns if declared.get(c) is str]
    if not text_columns:
        return {}
    inner, params = _select(dataset, ", ".join(f"t.{_ident(c)}" for c in text_columns), filters)
    inner = inner.partition(" ORDER BY ")[0]
    long = " OR ".join(f"length({_ident(c)}) > {CELL_LIMIT // 2}" for c in text_columns)
    needed: dict[str, int] = {}
    for row in db.execute(f"SELECT * FROM ({inner}) WHERE {long}", params):
        for column, value in zip(text_columns, row, strict=True):
            if isinstance(value, str) and len(value) > CELL_LIMIT // 2:
                parts = len(split_text(value))
                if parts > needed.get(column, 1):
                    needed[column] = parts
    return needed


def write_xlsx(
    path: Path,
    db: sqlite_utils.Database,
    dataset: Dataset,
    filters: ArticleFilter,
    progress: Callable[[Iterator[tuple]], Iterable[tuple]] | None = None,
) -> XlsxResult:
    """Write ``dataset`` as a workbook at ``path`` (a new file)."""
    columns, rows = iter_rows(db, dataset, filters)
    needed = pieces_needed(db, dataset, filters, columns)
    # each source column → its first sheet column (then its continuations)
    header: list[str] = []
    first_col: list[int] = []
    for name in columns:
        first_col.append(len(header))
        header.append(name)
        header += [f"{name}_{n}" for n in range(2, needed.get(name, 1) + 1)]

    tmpdir = tempfile.mkdtemp(prefix="news-archive-xlsx-")
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": tmpdir})
    result = XlsxResult()
    try:
        sheet = workbook.add_worksheet(dataset.table)
        bold = workbook.add_format({"bold": True})
        formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "minute": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "second": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        link_format = workbook.get_default_url_format()
        for number, name in enumerate(header):
            base = name if name in WIDTHS else name.rsplit("_", 1)[0]
            sheet.set_column(number, number, WIDTHS.get(base, 14))
        sheet.freeze_panes(1, 0)
        for number, name in enumerate(header):
            sheet.write_string(0, number, name, bold)

        links = 0
        row_number = 0
        for row in progress(rows) if progress else rows:
            row_number += 1
            for index, value in enumerate(row):
                if value is None:
                    continue
                name, col = columns[index], first_col[index]
                if isinstance(value, int | float):
                    sheet.write_number(row_number, col, value)
                    continue
                if not isinstance(value, str):
                    value = str(value)
                if name in DATE_COLUMNS or name in TIMESTAMP_COLUMNS:
                    when = parse_iso(value)
                    if isinstance(when, datetime):
                        exact = name in TIMESTAMP_COLUMNS or when.second
                        sheet.write_datetime(
                            row_number, col, when, formats["second" if exact else "minute"]
                        )
                        continue
                    if when is not None:
                        sheet.write_datetime(row_number, col, when, formats["date"])
                        continue
                if name in LINK_COLUMNS and value.startswith(("http://", "https://")):
                    if links < MAX_LINKS and len(value) <= MAX_URL:
                        if sheet.write_url(row_number, col, value, link_format, value) == 0:
                            links += 1
                            continue
                    result.plain_urls += 1
                pieces = split_text(value) if len(value) > CELL_LIMIT // 2 else [value]
                if len(pieces) > 1:
                    result.split_cells += 1
                for offset, piece in enumerate(pieces):
                    sheet.write_string(row_number, col + offset, piece)
        sheet.autofilter(0, 0, row_number, len(header) - 1)
        result.rows = row_number
    finally:
        try:
            workbook.close()
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
    if result.split_cells:
        continued = ", ".join(f"{c}_2" for c in needed)
        result.warnings.append(
            f"{result.split_cells} cells longer than {CELL_LIMIT:,} characters were split "
            f"over continuation columns ({continued}…): join them to read the whole text"
        )
    if result.plain_urls:
        result.warnings.append(
            f"{result.plain_urls} URLs written as plain text, not links (Excel allows "
            f"{MAX_LINKS:,} links a sheet, {MAX_URL:,} characters a link)"
        )
    return result


def export_xlsx(
    target: Path | None,
    db: sqlite_utils.Database,
    dataset: Dataset,
    filters: ArticleFilter,
    progress: Callable[[Iterator[tuple]], Iterable[tuple]] | None = None,
) -> XlsxResult:
    """The workbook at ``target`` (written under a temporary name, renamed when
    complete) or on standard output (``None``)."""
    directory = target.parent if target is not None else Path(tempfile.gettempdir())
    if not directory.is_dir():
        raise ExportError(f"output directory does not exist: {directory}")
    name = target.name if target is not None else "export.xlsx"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise ExportError(f"cannot write in {directory}: {exc.strerror}") from None
    os.close(fd)
    try:
        result = write_xlsx(Path(tmp), db, dataset, filters, progress)
        if target is None:
            sys.stdout.flush()
            with open(tmp, "rb") as workbook:
                shutil.copyfileobj(workbook, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            Path(tmp).unlink()
        else:
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result
