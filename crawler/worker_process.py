"""A page-reading worker process: pages in on stdin, what was extracted out on stdout.

Started as ``python -m crawler.worker_process`` by :mod:`crawler.page_workers`. Each
message either way is a 4-byte big-endian length and a pickle. A request is ``(kind,
args)`` for :func:`extract` (the page's body goes as bytes with its encoding: decoding is
part of the work handed over); the answer is ``("ok", result)`` with what
:func:`extract` returns, or ``("error", text)`` when extraction raised (the crawl then
extracts that page itself, so the error is reported there as it would be without
workers). The first message a worker sends, ``("ready", pid)``, says the extractors are
imported. A worker ends at the end of its input, which is also what happens when the
crawl's process dies.

Pure Python and lxml: imports :mod:`crawler.extract.fetched_page`, no Scrapy or Twisted.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from typing import Any, BinaryIO

from crawler.extract.fetched_page import extract_article, extract_list

HEADER = struct.Struct(">I")


#: What a worker can be asked to extract, by page kind.
EXTRACTORS = {"article": extract_article, "list": extract_list}


def extract(kind: str, args: tuple) -> Any:
    """``extract_article(*args)`` or ``extract_list(*args)``."""
    return EXTRACTORS[kind](*args)


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
            answer = ("ok", extract(*pickle.loads(payload)))
        except Exception as error:  # reported by the crawl when it extracts the page itself
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
