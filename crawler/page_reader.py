"""Reading a fetched page, in a worker process or in the crawl's own.

:func:`read_article` and :func:`read_list` are pure: a page's bytes in, the article
record or the list's links out.

As a worker: pages in on stdin, what was read out on stdout.

Run as ``python -m crawler.page_reader`` by :mod:`crawler.page_workers`. Each message
either way is a 4-byte big-endian length and a pickle. A request is ``(kind, args)``
for :func:`read` (the page's body goes as bytes with its encoding: decoding is part
of the work handed over); the answer is ``("ok", result)`` with what :func:`read`
returns, or ``("error", text)`` when reading raised (the crawl then
reads that page itself, so the error is reported there as it would be without
workers). The first message a worker sends, ``("ready", pid)``, says the readers are
imported. A worker ends at the end of its input, which is also what happens when the
crawl's process dies.

Pure Python and lxml: no Scrapy or Twisted is imported here.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from typing import Any, BinaryIO

from w3lib.encoding import html_to_unicode

from crawler.article_page import read_page
from crawler.items import Article
from crawler.list_page import ListPage, extract_list_page
from crawler.normalise import build_article
from crawler.site_profiles import Selectors

HEADER = struct.Struct(">I")


def decode(body: bytes, encoding: str) -> str:
    """``body`` decoded as Scrapy's ``TextResponse.text`` decodes it, given the
    response's ``encoding``."""
    return html_to_unicode(f"charset={encoding}", body)[1]


def read_article(
    body: bytes,
    encoding: str,
    url: str,
    canonical: str,
    fetched_at: str,
    selectors: Selectors | None,
) -> tuple[str, Article | None]:
    """Read an article page fetched from ``url``: the page type and, for an article,
    its record (fields extracted, date and counter normalised) under ``canonical``."""
    kind, fields = read_page(decode(body, encoding), url, selectors)
    return kind, None if fields is None else build_article(canonical, fields, fetched_at)


def read_list(body: bytes, encoding: str, url: str, selectors: Selectors | None) -> ListPage:
    """Read a list page fetched from ``url``: its article links and next page."""
    return extract_list_page(decode(body, encoding), url, selectors)


#: What a worker can be asked to read.
READERS = {"article": read_article, "list": read_list}


def read(kind: str, args: tuple) -> Any:
    """``read_article(*args)`` or ``read_list(*args)``."""
    return READERS[kind](*args)


def frame(message: object) -> bytes:
    """One message as it goes over the pipe."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer requests until the input ends."""
    answers.write(frame(("ready", os.getpid())))
    answers.flush()
    while (header := _read_exactly(requests, HEADER.size)) is not None:
        payload = _read_exactly(requests, HEADER.unpack(header)[0])
        if payload is None:
            return
        try:
            answer = ("ok", read(*pickle.loads(payload)))
        except Exception as error:  # reported by the crawl when it reads the page itself
            answer = ("error", f"{type(error).__name__}: {error}")
        answers.write(frame(answer))
        answers.flush()


def main() -> None:
    # Ctrl-C reaches the whole process group: the crawl shuts down gracefully and ends
    # the workers by closing their input, after they answered what they were given.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns the real stdout; anything printed goes to stderr instead.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        serve(sys.stdin.buffer, answers)
    except BrokenPipeError:
        pass


if __name__ == "__main__":
    main()
