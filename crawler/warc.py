"""Raw captures for archivists: request/response pairs in gzip WARC files (warcio).

:class:`WarcFile` is one append-only file (``--warc PATH``); :class:`CaptureFiles` is a
crawl's own series of files in the capture folder beside the archive, named
``news-archive-<crawl id>-<UTC start>-<NNNNN>.warc.gz`` (a listing sorts by crawl, that
is by time) and rotated at a size limit; each file starts with a ``warcinfo`` record
(software and version, crawl id, start URLs, robots policy, user agent).

No Scrapy import: :class:`crawler.middlewares.WarcMiddleware` hands over plain values.
Each record is its own gzip member and is flushed at once, so a killed crawl leaves a
file that standard WARC tools read up to the last complete record.

Imports warcio, isal (when installed; else zlib); :mod:`crawler`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__

Headers = Iterable[tuple[str, str]]


SOFTWARE = f"news-archive/{__version__} (Scrapy, warcio)"

try:
    # ISA-L's deflate writes the same gzip format as zlib at about a sixth of its CPU
    # (26 against 150 µs for a 4.5 KB page, the same size within 2 %): the captures
    # were most of the crawl's CPU above the bare spider's.
    from isal import isal_zlib as deflate

    #: Level of each record's gzip member: ISA-L's 2 (of 0-3) compresses like zlib's 3.
    GZIP_LEVEL = 2
except ImportError:  # a machine without the isal wheel: the standard library's zlib
    import zlib as deflate

    #: zlib level of each record's gzip member. warcio uses 9; 3 takes about half the
    #: CPU per page for ~8 % more bytes.
    GZIP_LEVEL = 3


class _GzipMember:
    """One gzip member around one record (warcio's wrapper, at :data:`GZIP_LEVEL`)."""

    def __init__(self, out, level: int) -> None:
        self.compressor = deflate.compressobj(level, deflate.DEFLATED, deflate.MAX_WBITS + 16)
        self.out = out

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush())
        self.out.flush()


class _Writer(WARCWriter):
    """warcio's writer, each record its own gzip member at a chosen level."""

    def __init__(self, out, level: int = GZIP_LEVEL) -> None:
        super().__init__(out, gzip=False, warc_version="1.1")
        self.level = level

    def _write_warc_record(self, out, record):
        # warcio ends every record with out.flush(): the member's trailer
        return super()._write_warc_record(_GzipMember(out, self.level), record)


def capture_dir(db_path: str | Path) -> Path:
    """The capture folder of the archive at ``db_path``: ``archive.db`` → ``archive.warc/``."""
    path = Path(db_path)
    return path.with_name(path.stem + ".warc") if path.suffix else Path(f"{path}.warc")


class WarcFile:
    """An append-only gzip WARC file of request and response records."""

    def __init__(self, path: str | Path, info: dict[str, str] | None = None):
        self.path = Path(path)
        # Records are composed in memory and written with one unbuffered write each, so
        # a killed crawl leaves whole records (a record cut short is rare and is dropped
        # by readers, see crawler.captures).
        self.file = open(self.path, "ab", buffering=0)  # noqa: SIM115 - closed in close()
        self.size = self.file.seek(0, 2)
        self.buffer = BytesIO()
        self.writer = _Writer(self.buffer)
        if self.size == 0:
            fields = {"software": SOFTWARE, "format": "WARC File Format 1.1", **(info or {})}
            self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, fields))
            self._write_out()

    def _write_out(self) -> None:
        data = self.buffer.getbuffer()
        written = 0
        while written < len(data):
            written += self.file.write(data[written:])
        self.size += written
        del data
        self.buffer.seek(0)
        self.buffer.truncate()

    def write_exchange(
        self,
        *,
        url: str,
        method: str,
        request_headers: Headers,
        status: int,
        reason: str,
        response_headers: Headers,
        body: bytes,
        ip: str | None = None,
    ) -> None:
        """Write one request record and its response record, linked by record id."""
        target = url.split("#", 1)[0]
        path = target.split("/", 3)[3] if target.count("/") >= 3 else ""
        request = self.writer.create_warc_record(
            target,
            "request",
            payload=BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"{method} /{path} HTTP/1.1", list(request_headers), is_http_request=True
            ),
        )
        extra = {"WARC-IP-Address": ip} if ip else None
        response = self.writer.create_warc_record(
            target,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(
                f"{status} {reason}".strip(), list(response_headers), protocol="HTTP/1.1"
            ),
            warc_headers_dict=extra,
        )
        self.writer.write_request_response_pair(request, response)
        self._write_out()

    def close(self) -> None:
        self.file.close()


class CaptureFiles:
    """A crawl's WARC files in ``directory``, a new one whenever one reaches ``max_bytes``.

    ``info`` goes into each file's ``warcinfo`` record. The folder is created when the
    first record is written; :attr:`paths` lists the files written so far.
    """

    def __init__(
        self,
        directory: str | Path,
        crawl_id: int | str,
        started: str,
        info: dict[str, str] | None = None,
        max_bytes: int = 1_000_000_000,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = f"news-archive-{int(crawl_id):06d}-{started}"
        self.info = {"crawl-id": str(crawl_id), **(info or {})}
        self.max_bytes = max_bytes
        self.paths: list[Path] = []
        self.current: WarcFile | None = None

    def write_exchange(self, **exchange) -> Path:
        """:meth:`WarcFile.write_exchange` into the current file (rotated first when full);
        the file written to."""
        if self.current is None or self.current.size >= self.max_bytes:
            self._next_file()
        self.current.write_exchange(**exchange)
        return self.current.path

    def _next_file(self) -> None:
        if self.current is not None:
            self.current.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{self.prefix}-{len(self.paths):05d}.warc.gz"
        self.current = WarcFile(path, self.info)
        self.paths.append(path)

    def close(self) -> None:
        if self.current is not None:
            self.current.close()


class BackgroundWriter:
    """Write exchanges to ``target`` (a :class:`WarcFile` or :class:`CaptureFiles`) in a
    thread of their own, in order: compressing and hashing a page (zlib and hashlib let
    go of the GIL) then happens beside Scrapy's reactor instead of on it. At most
    ``depth`` exchanges wait (memory stays bounded; the reactor waits when the disk
    cannot keep up). The first error stops the writing; :attr:`error` holds it.
    """

    def __init__(self, target: WarcFile | CaptureFiles, depth: int = 64) -> None:
        self.target = target
        self.error: BaseException | None = None
        self._queue: queue.Queue[dict | None] = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
        self._thread.start()

    @property
    def paths(self) -> list[Path]:
        return list(getattr(self.target, "paths", None) or [self.target.path])

    def write_exchange(self, **exchange) -> None:
        if self.error is None:
            self._queue.put(exchange)

    def _run(self) -> None:
        while (exchange := self._queue.get()) is not None:
            if self.error is None:
                try:
                    self.target.write_exchange(**exchange)
                except BaseException as error:  # reported by the crawl (close)
                    self.error = error

    def close(self) -> None:
        """Write what waits, then close the files."""
        self._queue.put(None)
        self._thread.join()
        self.target.close()
