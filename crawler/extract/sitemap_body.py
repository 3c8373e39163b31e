"""A fetched sitemap's bytes → XML safe to parse, or a refusal.

Gzip is unpacked with a cap (a 1 MB file can unpack to gigabytes), and a sitemap that
declares a DTD or entities is refused: the sitemap protocol uses neither, and entity
expansion is how small XML files take large memory.

Imports the standard library only.
"""

from __future__ import annotations

import re
import zlib

#: A document type or entity declaration before or in the XML.
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class RefusedSitemap(ValueError):
    """The sitemap is not read; the message says why."""


def sitemap_xml(body: bytes, max_size: int) -> bytes:
    """The XML of a sitemap ``body`` (gzip unpacked, at most ``max_size`` bytes);
    raise :class:`RefusedSitemap` for a bigger, broken or DTD-declaring one."""
    if body[:2] == b"\x1f\x8b":
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = unpacker.decompress(body, max_size + 1)
        except zlib.error as exc:
            raise RefusedSitemap(f"broken gzip: {exc}") from None
        if len(body) > max_size:
            raise RefusedSitemap(f"unpacks to more than {max_size} bytes")
    if _DTD.search(body):
        raise RefusedSitemap("declares a DTD or XML entities")
    return body
