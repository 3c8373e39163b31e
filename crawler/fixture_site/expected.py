"""The records a correct crawler of the three news lists stores, for the current phase.

Rules (one dict per article of the news sections; the 404 item and the other sections
are left out; order: ru, kk, en, each newest first):

* ``url``: ``base`` + the article's canonical path - the final pretty URL (after the
  legacy-URL redirect), no tracking parameters, no fragment; ``?ELEMENT_ID=<n>``
  articles keep that query (already w3lib-canonical).
* ``published_raw``: the date text of the page, whitespace-normalised; ``published``:
  ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` when the text shows a time, None when the text
  is not a date. Relative dates (``Сегодня, 10:15`` / ``Вчера, 18:40``, two Russian
  articles) resolve against ``date.today()`` at the time of the call.
  Where the article page shows no date (``listdated``), the list's date is stored; a
  list text that is no date gives nothing (``published_raw`` None too).
* ``views_raw``: the whitespace-normalised text of the counter element (Python
  ``" ".join(text.split())``, so a no-break space reads as a space), icons contribute
  nothing, a label in the same element or text line stays: custom ``"409"`` /
  ``"1 234"``; default ``"Просмотров: 409"`` (en ``"Views: 409"``); modern
  ``"Количество просмотров: 409"`` (kk ``"Қаралым саны: 409"``, en ``"Views: 409"``).
  ``views`` is the integer; both None when the page has no counter.
* ``body``: the article's paragraphs joined by ``"\\n\\n"``; each ``<p>`` and each
  ``<br>``-separated chunk of bare text is a paragraph; empty chunks, pictures and the
  video ``<script>`` contribute nothing; no title, date, counter, share block or back link.
* ``category``: the category line (custom, modern), None in the default layout.
* ``image_urls``: absolute URLs of the detail picture (first) and of the pictures in the
  text; never thumbnails, logos, icons or counters.

Imports :mod:`.formats`, :mod:`.content`, :mod:`.templates`, :mod:`.words`.
"""

from __future__ import annotations

from datetime import date

from . import formats
from .content import Snapshot, Story
from .templates import Family
from .words import LANGS


def expected_articles(
    snap: Snapshot, families: dict[str, Family], base: str, today: date
) -> list[dict]:
    """Expected stored records of ``snap``; ``families`` maps a language to its family."""
    return [
        record(story, families[lang], base, today)
        for lang in LANGS
        for story in snap.articles(lang)
    ]


def record(story: Story, family: Family, base: str, today: date) -> dict:
    """The expected record of one article."""
    shown = formats.show_date(story, family.date_style, today)
    images = [story.detail_image] if story.detail_image else []
    return {
        "url": base + story.path,
        "lang": story.lang,
        "title": story.title,
        "published": shown.iso,
        "published_raw": (
            " ".join(shown.text.split())
            if shown.iso or family.dates_on_article
            else None  # the list's "date to be confirmed" is no date: nothing is kept
        ),
        "views": story.views,
        "views_raw": formats.views_raw(story.views, family.views_prefix(story.lang)),
        "body": "\n\n".join(story.paragraphs),
        "category": story.category if family.shows_category else None,
        "image_urls": [base + path for path in [*images, *story.body_images]],
    }
