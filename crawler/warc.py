"""Raw copies for archivists: request/response pairs in a gzip WARC file (warcio).

No Scrapy import: :class:`crawler.middlewares.WarcMiddleware` hands over plain values.
Each record is its own gzip member and is flushed at once, so a killed crawl leaves a
file that standard WARC tools read up to the last complete record.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__

Headers = Iterable[tuple[str, str]]


class WarcFile:
    """An append-only gzip WARC file of request and response records."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        is_new = not self.path.exists() or self.path.stat().st_size == 0
        self.file = open(self.path, "ab")  # noqa: SIM115 - closed in close()
        self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        if is_new:
            info = {
                "software": f"news-archive/{__version__} (Scrapy, warcio)",
                "format": "WARC File Format 1.1",
            }
            self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info))
            self.file.flush()

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
        self.file.flush()

    def close(self) -> None:
        self.file.close()
