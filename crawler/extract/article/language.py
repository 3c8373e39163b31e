"""The article's language.

``<html lang>`` (``ru-RU`` → ``ru``, ``kz`` → ``kk``), then ``og:locale``, then the
first path segment of the URL (``/ru/``, ``/kz/``, ``/kk/``, ``/en/``:
:data:`~crawler.extract.vocabulary.LANGUAGE_SEGMENTS`).

Imports :mod:`crawler.extract.document` and :mod:`~crawler.extract.vocabulary`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.extract.document import ParsedPage
from crawler.extract.vocabulary import KAZAKH_CODES, LANGUAGE_SEGMENTS

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def find_lang(page: ParsedPage) -> str | None:
    """ISO 639-1 code of the page's language, or None."""
    html_lang = page.root.get("lang") or page.root.get(_XML_LANG)
    for raw in (html_lang, page.meta("og:locale")):
        code = language_code(raw)
        if code:
            return code
    segments = [s for s in urlsplit(page.url).path.split("/") if s]
    return LANGUAGE_SEGMENTS.get(segments[0].lower()) if segments else None


def language_code(raw: str | None) -> str | None:
    """``ru-RU`` → ``ru``, ``kz`` → ``kk``; None for what is not a language code."""
    code = (raw or "").strip().lower().replace("_", "-").split("-")[0]
    if not code.isalpha() or not 2 <= len(code) <= 3:
        return None
    return "kk" if code in KAZAKH_CODES else code
