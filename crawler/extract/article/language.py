"""The article's language, from the evidence together.

Templates hard-code ``<html lang>`` (one header for every language version, a theme's
default ``en`` left on a Russian site), so no single attribute decides. The evidence:

* the text itself (title and body): Cyrillic or Latin letters, and the letters of the
  Kazakh alphabet that Russian lacks (``ә ғ қ ң ө ұ ү һ і``:
  :data:`~crawler.extract.vocabulary.KAZAKH_LETTERS`): Cyrillic text where they are
  3 % of the letters or more is Kazakh (Kazakh text has about 10 %); under 1.5 % it is
  Russian (Kazakh names and quoted titles in a Russian text stay under that);
  Cyrillic text is never ``en``, Latin text never ``ru``/``kk``;
* declarations, most specific first: the ``hreflang`` alternate that points at the
  page itself, the URL's first path segment (``/ru/``, ``/kz/``, ``/en/``:
  :data:`~crawler.extract.vocabulary.LANGUAGE_SEGMENTS`), ``og:locale``, ``<html lang>``
  (``ru-RU`` → ``ru``, ``kz`` → ``kk``).

The first declaration the text does not contradict wins; when the text contradicts them
all (or none is made), the text decides on its own (Kazakh, Russian, or ``en`` for
Latin letters); with too little text (under 40 letters) the first declaration wins.
The text's first 1,000 characters are read.

Imports :mod:`crawler.extract.document`, :mod:`~crawler.extract.urls` and
:mod:`~crawler.extract.vocabulary`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.extract.document import ParsedPage
from crawler.extract.urls import canonical_url
from crawler.extract.vocabulary import (
    CYRILLIC_LANGUAGES,
    KAZAKH_CODES,
    KAZAKH_LETTERS,
    LANGUAGE_SEGMENTS,
)

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_KAZAKH = tuple(KAZAKH_LETTERS + KAZAKH_LETTERS.upper())
#: Fewer letters than this say nothing about the language.
_MIN_LETTERS = 40
#: The text read for the evidence: its first characters say enough.
_SAMPLE = 1000
#: Shares of Kazakh letters among the Cyrillic ones: Kazakh from, Russian below.
_KAZAKH_SHARE, _RUSSIAN_SHARE = 0.03, 0.015


def find_lang(page: ParsedPage, text: str = "") -> str | None:
    """ISO 639-1 code of the page's language, or None (see the module docstring).
    ``text``: the article's own text (title and body)."""
    script = text_evidence(text)
    declared = [code for code in _declarations(page) if code]
    for code in declared:
        if script is None or _agrees(code, script):
            return code
    if script in ("kk", "ru"):
        return script
    if script == "latin":
        return "en"
    return declared[0] if declared else None


def text_evidence(text: str) -> str | None:
    """What the letters of ``text`` say: ``kk``, ``ru``, ``cyrillic`` (one of the two,
    unsure), ``latin``, or None (too few letters)."""
    text = text[:_SAMPLE]
    cyrillic = sum(map(len, _CYRILLIC_WORD.findall(text)))
    latin = sum(map(len, _LATIN_WORD.findall(text)))
    if cyrillic + latin < _MIN_LETTERS:
        return None
    if latin > cyrillic:
        return "latin"
    share = sum(map(text.count, _KAZAKH)) / cyrillic
    if share >= _KAZAKH_SHARE:
        return "kk"
    return "ru" if share < _RUSSIAN_SHARE else "cyrillic"


def _agrees(code: str, script: str) -> bool:
    if script == "latin":
        return code not in CYRILLIC_LANGUAGES
    if script == "cyrillic":
        return code in CYRILLIC_LANGUAGES
    return code == script


def _declarations(page: ParsedPage) -> list[str | None]:
    """The page's own claims, most specific first."""
    segments = [s for s in urlsplit(page.url).path.split("/") if s]
    return [
        _hreflang_of_page(page),
        LANGUAGE_SEGMENTS.get(segments[0].lower()) if segments else None,
        language_code(page.meta("og:locale")),
        language_code(page.root.get("lang") or page.root.get(_XML_LANG)),
    ]


def _hreflang_of_page(page: ParsedPage) -> str | None:
    """The language of the ``<link rel="alternate" hreflang>`` that points at this page."""
    own = canonical_url(page.url)
    for link in page.root.iter("link"):
        hreflang = link.get("hreflang")
        if not hreflang or "alternate" not in (link.get("rel") or "").lower():
            continue
        href = page.absolute(link.get("href"))
        if href and canonical_url(href) == own:
            return language_code(hreflang)
    return None


def language_code(raw: str | None) -> str | None:
    """``ru-RU`` → ``ru``, ``kz`` → ``kk``; None for what is not a language code."""
    code = (raw or "").strip().lower().replace("_", "-").split("-")[0]
    if not code.isalpha() or not 2 <= len(code) <= 3:
        return None
    return "kk" if code in KAZAKH_CODES else code
