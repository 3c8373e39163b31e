"""Which charset a fetched page is in: a decision over the bytes, not the header alone.

Servers get the header wrong (an old Bitrix template that still says windows-1251 over
UTF-8 bytes, or the reverse); believing it stores mojibake or U+FFFD and loses the
date. :func:`decode_page` decides:

1. bytes that decode as UTF-8 (ASCII aside) are UTF-8, whatever is declared: other
   charsets almost never form valid multi-byte UTF-8 sequences by chance;
2. else a byte-order mark;
3. else UTF-8 with a few broken bytes (at most one per hundred non-ASCII characters,
   a truncated or spliced page) stays UTF-8, the broken bytes replaced and counted;
4. else the page's own ``<meta charset>`` / ``http-equiv`` declaration, if the bytes
   decode cleanly in it;
5. else the HTTP header's charset, if the bytes decode cleanly in it;
6. else windows-1251 (the legacy charset of Cyrillic Bitrix sites), if clean;
7. else the declared charset (meta, header, UTF-8) with U+FFFD for what does not
   decode — the number of replacements is returned, so the caller can say so.

Imports w3lib only.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

#: The legacy charset of Cyrillic sites, tried when nothing declared decodes cleanly.
LEGACY_CHARSET = "cp1251"


@dataclass(frozen=True)
class Decoded:
    """A page's text, the charset it was read in, and how many characters could not
    be decoded (each became U+FFFD)."""

    text: str
    encoding: str
    replacements: int = 0


def decode_page(body: bytes, declared: str | None = None) -> Decoded:
    """``body`` as text (see the module docstring); ``declared``: the charset of the HTTP
    ``Content-Type`` header (or whatever the response claimed), if any."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        # ASCII reads the same in every ASCII-compatible charset; NULs mean UTF-16/32.
        if "\x00" not in text:
            return Decoded(text, "utf-8")
    bom, bom_bytes = read_bom(body)
    if bom:
        encoding = resolve_encoding(bom) or "utf-8"
        return _lenient(body[len(bom_bytes) :], encoding)
    mostly = _mostly_utf8(body)
    if mostly is not None:
        return mostly
    candidates = [
        _normal(html_body_declared_encoding(body)),
        _normal(declared),
        LEGACY_CHARSET,
    ]
    for encoding in candidates:
        if encoding:
            try:
                return Decoded(body.decode(encoding), encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    fallback = next((e for e in candidates[:2] if e), "utf-8")
    return _lenient(body, fallback)


def _mostly_utf8(body: bytes) -> Decoded | None:
    """UTF-8 text with a few broken bytes (a truncated or spliced page) is UTF-8 with
    replacements, not a clean-looking legacy decode of the whole page (mojibake)."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if ord(c) > 127) - bad
    if multibyte >= 20 and bad * 100 <= multibyte:
        return Decoded(text.removeprefix("\ufeff"), "utf-8", bad)
    return None


def _normal(name: str | None) -> str | None:
    """A codec name Python knows for a declared charset label (None when unknown)."""
    if not name:
        return None
    resolved = resolve_encoding(name)
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _lenient(body: bytes, encoding: str) -> Decoded:
    text = body.decode(encoding, errors="replace")
    return Decoded(text, encoding, text.count("\ufffd"))
