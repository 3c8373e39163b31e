"""CSV and JSON Lines exports of the archive, streamed row by row, and the files or
standard output they go to.

Rows come straight from an SQLite cursor, so memory stays flat however large the
archive is. A file is written under a temporary name in its target directory and
renamed at the end: a failed export never leaves a half file under the final name.
Where an export goes (:func:`export_target`), writing it there (:func:`export_to`) and
standard output as UTF-8 (:func:`utf8_stdout`, also used by ``query --csv``) are here,
so the command line only parses options and maps errors to exit codes.

Column order of ``articles`` (:data:`ARTICLE_ORDER`): who and where first, then the
text, then the crawler's bookkeeping; any column added to the table later follows.

Imports: the standard library, sqlite-utils and :mod:`crawler.archive.filters` — no
Scrapy, no click.

Over 400 lines: the output side (temporary files, FIFOs and devices written through,
modes and links kept, names never reused) sits with the writers it serves.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import IO

import sqlite_utils

from crawler.archive.filters import ArticleFilter

FORMATS = ("csv", "jsonl")

#: Where an export goes when no ``--output`` is given (created on demand).
EXPORT_DIRECTORY = Path("exports")
#: ``--output -``: standard output.
STDOUT = "-"

#: The documented column order of an ``articles`` export.
ARTICLE_ORDER = (
    "url",
    "lang",
    "published",
    "published_raw",
    "title",
    "category",
    "views",
    "views_raw",
    "body",
    "image_urls",
    "first_seen",
    "last_seen",
    "version",
    "lastmod",
    "published_source",
    "views_source",
    "category_source",
    # Last: added with many-site archives; earlier columns keep their places.
    "site",
)


@dataclass(frozen=True)
class Dataset:
    """A table that can be exported: its column order and its row order."""

    table: str
    order: tuple[str, ...]
    sort: str
    #: Columns holding JSON text, written as JSON values in JSON Lines.
    json_columns: tuple[str, ...] = ()


DATASETS = {
    "articles": Dataset("articles", ARTICLE_ORDER, "published, url", ("image_urls",)),
    "versions": Dataset(
        "article_versions",
        ("url", "version", "seen_at", "crawl_id", "title", "body"),
        "url, version",
    ),
    "views": Dataset("view_counts", ("url", "seen_at", "views", "crawl_id"), "url, seen_at"),
}

#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """The export cannot be written (bad target, bad options)."""


@dataclass
class ExportResult:
    rows: int
    path: Path | None  # None: written to standard output


# -- rows ----------------------------------------------------------------------


def columns_of(db: sqlite_utils.Database, dataset: Dataset) -> list[str]:
    """The dataset's columns in documented order, then any the table has beyond them."""
    present = list(db[dataset.table].columns_dict)
    return [c for c in dataset.order if c in present] + [
        c for c in present if c not in dataset.order
    ]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(dataset: Dataset, values: str, filters: ArticleFilter) -> tuple[str, list]:
    """``SELECT values FROM dataset`` filtered by article and in the dataset's order."""
    sql = f"SELECT {values} FROM {_ident(dataset.table)} AS t"
    if dataset.table == "articles":
        where, params = filters.where("t")
    else:  # the history of the articles that the filter selects
        where, params = filters.where("a")
        if where:
            where = f"t.url IN (SELECT a.url FROM articles AS a WHERE {where})"
    if where:
        sql += f" WHERE {where}"
    order = ", ".join(f"t.{_ident(c.strip())}" for c in dataset.sort.split(","))
    return f"{sql} ORDER BY {order}", params


def _json_object(dataset: Dataset, columns: Sequence[str]) -> str:
    """``json_object(...)`` of a row, JSON-text columns as JSON values: SQLite writes each
    JSON line itself, twice as fast as :mod:`json` on long bodies."""
    pairs = []
    for name in columns:
        value = f"t.{_ident(name)}"
        if name in dataset.json_columns:
            value = f"iif(json_valid({value}), json({value}), {value})"
        pairs.append(f"'{name.replace(chr(39), chr(39) * 2)}', {value}")
    return f"json_object({', '.join(pairs)})"


def iter_rows(
    db: sqlite_utils.Database, dataset: Dataset, filters: ArticleFilter, *, as_json: bool = False
) -> tuple[list[str], Iterator[tuple]]:
    """Column names and a cursor over the rows (never fetched all at once); with
    ``as_json`` each row is one value, the row as a JSON object."""
    columns = columns_of(db, dataset)
    if as_json:
        values = _json_object(dataset, columns)
    else:
        values = ", ".join(f"t.{_ident(c)}" for c in columns)
    sql, params = _select(dataset, values, filters)
    return columns, db.conn.execute(sql, params)


def count_rows(db: sqlite_utils.Database, dataset: Dataset, filters: ArticleFilter) -> int:
    sql, params = _select(dataset, "count(*)", filters)
    return db.execute(sql.partition(" ORDER BY ")[0], params).fetchone()[0]


# -- writers -------------------------------------------------------------------


def defuse(value: object) -> object:
    """Text a spreadsheet would run as a formula, with a leading ``'`` (kept as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_field(value: object, delimiter: str = ",") -> str:
    """One CSV field as RFC 4180 (and Python's ``csv`` module) writes it: quoted only
    when it holds a quote, the delimiter or a line break; ``NULL`` as an empty field."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if delimiter in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


#: ``--delimiter`` values a CSV cannot use: the quote and line breaks.
BAD_DELIMITERS = ('"', "\r", "\n")


def check_delimiter(delimiter: str) -> str:
    """``delimiter`` if it can separate CSV fields (one character, not a quote or a line
    break; ``\\t`` spelt out means a tab), else :class:`ExportError`."""
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"
    if len(delimiter) != 1 or delimiter in BAD_DELIMITERS:
        raise ExportError(
            f"--delimiter must be one character, not a quote or a line break: {delimiter!r}"
        )
    return delimiter


def write_csv(
    out: IO[str],
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    excel: bool = False,
    delimiter: str = ",",
) -> int:
    """CSV with a header row, CRLF between records; the number of rows written.

    Written by :func:`csv_field` rather than :mod:`csv` (same bytes, five times faster
    on long bodies).
    """
    if delimiter != ",":
        field = partial(csv_field, delimiter=delimiter)
    else:
        field = csv_field
    out.write(delimiter.join(map(field, columns)) + "\r\n")
    count = 0
    for row in rows:
        fields = map(defuse, row) if excel else row
        out.write(delimiter.join(map(field, fields)) + "\r\n")
        count += 1
    return count


def write_jsonl(out: IO[str], rows: Iterable[tuple[str]]) -> int:
    """One JSON object per line (rows of :func:`iter_rows` with ``as_json``)."""
    count = 0
    for (line,) in rows:
        out.write(line + "\n")
        count += 1
    return count


# -- files -----------------------------------------------------------------------


def default_output(
    directory: Path,
    name: str,
    fmt: str,
    lang: str | None,
    now: datetime | None = None,
    sites: Sequence[str] = (),
) -> Path:
    """``exports/articles-ru-2026-11-25-223000.csv``: dated, so exports never collide;
    the sites come before the language (``articles-a.kz+b.kz-ru-...``)."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    parts = [name, "+".join(sites), lang or "", stamp]
    return directory / f"{'-'.join(p for p in parts if p)}.{fmt}"


@contextmanager
def atomic_text_file(
    path: Path, *, bom: bool = False, replace: bool = True, where: list[Path] | None = None
) -> Iterator[IO[str]]:
    """A text file that appears under ``path`` only once it is completely written.

    An existing file keeps its mode (and owner, as root) and its hard links (its
    content is replaced in place). With ``replace`` False an existing ``path`` is never
    touched: the file is written as ``NAME-2.EXT``, ``NAME-3.EXT``… instead; the name
    used is appended to ``where``.
    """
    directory = path.parent
    if not directory.is_dir():
        raise ExportError(f"output directory does not exist: {directory}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise ExportError(f"cannot write in {directory}: {exc.strerror}") from None
    try:
        encoding = "utf-8-sig" if bom else "utf-8"
        with open(fd, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        final = _install(Path(tmp), path, replace)
        if where is not None:
            where.append(final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _install(tmp: Path, path: Path, replace: bool) -> Path:
    """Move the complete file ``tmp`` to ``path`` (see :func:`atomic_text_file`)."""
    if not replace:
        os.chmod(tmp, 0o666 & ~_umask())
        for number in range(1, 10_000):
            candidate = (
                path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")
            )
            try:
                os.link(tmp, candidate)  # fails if the name is taken: nothing replaced
            except FileExistsError:
                continue
            tmp.unlink()
            return candidate
        raise ExportError(f"no free file name beside {path}")
    try:
        old = path.stat()
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        return path
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if os.geteuid() == 0 and (old.st_uid, old.st_gid) != (0, 0):
        os.chown(tmp, old.st_uid, old.st_gid)
    if old.st_nlink > 1:  # keep the hard links: same inode, new content
        with open(tmp, "rb") as new, open(path, "r+b") as target:
            shutil.copyfileobj(new, target)
            target.truncate()
        tmp.unlink()
        return path
    os.replace(tmp, path)
    return path


@contextmanager
def through_text_file(path: Path, *, bom: bool = False) -> Iterator[IO[str]]:
    """Written straight to ``path``, which is not a regular file (a FIFO, a terminal,
    ``/dev/null``): renaming a file over it would replace it rather than write to it."""
    try:
        out = open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    with out:
        yield out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export_target(
    output: str | None,
    dataset: str,
    fmt: str,
    lang: str | None,
    directory: Path = EXPORT_DIRECTORY,
    sites: Sequence[str] = (),
) -> Path | None:
    """The file an export writes: ``output`` as given (a symbolic link followed to
    its target), ``None`` for standard output (``-``), else a dated file under
    ``directory`` (created if missing; an :class:`OSError` when it cannot be).
    Raises :class:`ExportError` when ``output`` is a directory."""
    if output == STDOUT:
        return None
    if output:
        path = Path(output)
        if path.is_symlink():
            path = path.resolve()
        if path.is_dir():
            raise ExportError(f"{output} is a directory (give a file name)")
        return path
    directory.mkdir(exist_ok=True)
    return default_output(directory, dataset, fmt, lang, sites=sites)


def describe_target(
    output: str | None, target: Path | None, directory: Path = EXPORT_DIRECTORY
) -> str:
    """What an error writing the export names: standard output, the file, or the
    directory when the file was not decided yet."""
    if output == STDOUT:
        return "standard output"
    return str(target or output or f"{directory}/")


def export_to(
    target: Path | None, write: Callable[[IO[str]], int], bom: bool, replace: bool = True
) -> tuple[int, Path | None]:
    """Run ``write(out)`` into ``target`` or standard output (``None``); with ``bom`` the
    text starts with a UTF-8 byte order mark. Return the rows written and the file
    they went to.

    A regular file (or a new one) is written under a temporary name and renamed when
    complete (``replace`` False: an existing file is never replaced, the export takes
    the next free name); anything else that exists — a FIFO, a device — is written
    straight through."""
    if target is None:
        with utf8_stdout() as out:
            out.write("\ufeff" if bom else "")
            return write(out), None
    if target.exists() and not target.is_file():
        with through_text_file(target, bom=bom) as out:
            return write(out), target
    where: list[Path] = []
    with atomic_text_file(target, bom=bom, replace=replace, where=where) as out:
        rows = write(out)
    return rows, where[0]


def silence_stdout() -> None:
    """The reader of standard output went away (``| head``): send whatever is still
    buffered, and anything written later, to /dev/null so the exit is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


@contextmanager
def utf8_stdout() -> Iterator[IO[str]]:
    """Standard output as UTF-8 text that writes line ends as they are (CSV's CRLF)."""
    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, "utf-8", newline="")
    try:
        yield out
    finally:
        try:
            out.flush()
        except BrokenPipeError:
            silence_stdout()  # the caller sees the error raised in the block, if any
            out.flush()
        out.detach()


# -- the export ------------------------------------------------------------------


def export(
    db: sqlite_utils.Database,
    out: IO[str],
    *,
    fmt: str,
    dataset: Dataset,
    filters: ArticleFilter,
    excel: bool = False,
    progress: Callable[[Iterator[tuple]], Iterable[tuple]] | None = None,
    delimiter: str = ",",
) -> int:
    """Write ``dataset`` to ``out`` as ``fmt``; return the number of rows written.

    ``progress`` wraps the row iterator (a progress bar) when given.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (expected csv or jsonl)")
    columns, rows = iter_rows(db, dataset, filters, as_json=fmt == "jsonl")
    stream: Iterable[tuple] = progress(rows) if progress else rows
    if fmt == "csv":
        return write_csv(out, columns, stream, excel=excel, delimiter=delimiter)
    return write_jsonl(out, stream)
