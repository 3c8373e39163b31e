"""Why a request was dropped: the real reason of a failed fetch, as a failure kind.

Scrapy hands every dropped request to the errback as an exception; several unrelated
reasons share :class:`~scrapy.exceptions.IgnoreRequest` (robots.txt, a redirect chain
over ``REDIRECT_MAX_TIMES``, a body over ``DOWNLOAD_MAXSIZE`` after decompression) and
an over-size body cut off while streaming is a cancelled download. :func:`classify`
tells them apart, so each gets its own kind and retry rule
(:data:`crawler.archive.schema.FAILURE_KINDS`).

Imports scrapy, twisted; :mod:`crawler.middlewares` (the off-host redirect exception).
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from crawler.middlewares import OffHostRedirect


@dataclass(frozen=True)
class FetchFailure:
    """A failed fetch as the ``failures`` table stores it."""

    kind: str
    status: int | None
    error: str


def classify(failure: Failure) -> FetchFailure:
    """The kind, HTTP status and message of a failed request's ``failure``."""
    value = failure.value
    if failure.check(HttpError):
        status = value.response.status
        return FetchFailure("http", status, f"HTTP {status}")
    if failure.check(OffHostRedirect):
        return FetchFailure("off_host", value.status, f"redirect to another host: {value.target}")
    message = failure.getErrorMessage()
    if failure.check(IgnoreRequest):
        lowered = message.lower()
        if "robots.txt" in lowered:
            return FetchFailure("robots", None, "forbidden by robots.txt")
        if "max redirections" in lowered:
            return FetchFailure("redirects", None, "too many redirects (a redirect loop?)")
        if "maxsize" in lowered or "max size" in lowered:
            return FetchFailure("too_large", None, _size_message(message))
        return FetchFailure("network", None, f"request dropped: {message}")
    if failure.check(DownloadCancelledError, CancelledError) and "size" in message.lower():
        return FetchFailure("too_large", None, _size_message(message))
    if failure.check(CancelledError):
        return FetchFailure("too_large", None, "download cancelled: body over DOWNLOAD_MAXSIZE")
    if failure.check(DownloadTimeoutError):
        return FetchFailure("network", None, f"timed out: {message}")
    return FetchFailure("network", None, f"{failure.type.__name__}: {message}")


def _size_message(message: str) -> str:
    """One short line for an over-size body (Scrapy's message repeats the request)."""
    return "body over DOWNLOAD_MAXSIZE: " + message.split(" in request ")[0].split(" because ")[-1]
