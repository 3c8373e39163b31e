"""Reading the raw captures back: which pages the WARC files hold, and one page's bytes.

:func:`index_captures` walks WARC files once (headers only, nothing kept but an
offset) and keeps, per URL, the newest ``200`` response; :func:`read_capture` reads one
response record at its offset, its body decoded from the transfer and content encodings
(warcio), as Scrapy saw it. A file that ends in a truncated record, or a record that
cannot be read, is counted, never fatal: the captures before it stay readable (a
record cut short by a killed crawl is dropped, and named).

No Scrapy. Imports warcio; :mod:`crawler.extract.urls`.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

#: What a broken capture raises while it is read.
READ_ERRORS = (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error)


@dataclass(frozen=True)
class Capture:
    """Where one response record is, and what its headers say."""

    path: str
    offset: int
    url: str
    #: ``WARC-Date`` in the archive's form, ``2026-12-07T15:02:57Z`` (seconds).
    date: str
    content_type: str


@dataclass
class CaptureIndex:
    """The newest ``200`` HTML capture of each URL, and what could not be read."""

    newest: dict[str, Capture] = field(default_factory=dict)
    records: int = 0
    unreadable: list[str] = field(default_factory=list)


def warc_date(value: str | None) -> str:
    """A ``WARC-Date`` (``…T15:02:57.123456Z``) in the archive's form (seconds, ``Z``)."""
    text = (value or "").strip()
    if not text:
        return ""
    return text[:19] + "Z"


def index_captures(paths: Iterable[str | Path]) -> CaptureIndex:
    """Walk ``paths`` (in order; a later capture of a URL replaces an earlier one when
    it is newer) and index their ``200`` responses with an HTML or unknown type."""
    index = CaptureIndex()
    for path in paths:
        try:
            with open(path, "rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    index.records += 1
                    capture = _response_capture(str(path), record, records.get_record_offset())
                    if capture is None:
                        continue
                    known = index.newest.get(capture.url)
                    if known is None or capture.date >= known.date:
                        index.newest[capture.url] = capture
                size = os.fstat(stream.fileno()).st_size
                if records.offset < size:  # the file ends inside a record
                    index.unreadable.append(
                        f"{path}: cut short after byte {records.offset} of {size}"
                    )
        except READ_ERRORS as error:
            index.unreadable.append(f"{path}: {type(error).__name__}: {error}")
    return index


def _response_capture(path: str, record, offset: int) -> Capture | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    kind = content_type.split(";")[0].strip().lower()
    if kind and kind not in ("text/html", "application/xhtml+xml"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    date = warc_date(record.rec_headers.get_header("WARC-Date"))
    return Capture(path, offset, url, date, content_type)


_open_files: dict[str, object] = {}


def read_capture(path: str, offset: int) -> bytes:
    """The body of the response record at ``offset`` of ``path``, decoded from chunked
    transfer and gzip/deflate content encoding. Files stay open in this process (a
    reparse reads thousands of records from each)."""
    stream = _open_files.get(path)
    if stream is None:
        if len(_open_files) > 16:
            for old in _open_files.values():
                old.close()
            _open_files.clear()
        stream = _open_files[path] = open(path, "rb")  # noqa: SIM115 - kept for reuse
    stream.seek(offset)
    record = next(iter(ArchiveIterator(stream)))
    return record.content_stream().read()
