"""The deterministic faults of the fixture site, and where each one lives.

Faults are attached to articles by their position ``k`` in the phase-1 news list of a
language (newest first, 0-based, the seed article skipped), so they sit on pages 1-2 of
every list, in every layout. Paths below are for ``ru`` (``/kz/news/``, ``/en/news/`` alike).
``FixtureSite.fault_urls()`` lists the URLs of each fault by name.

Links and duplicates (links: :func:`list_href`; pages: ``templates.py``)
    * ``k=2`` (``TRACKING``): the list links it as ``<url>?utm_source=telegram&utm_medium=
      social&utm_campaign=news``; the RSS feed adds ``?utm_source=rss`` to every link.
    * every article with ``k % 10 == 5`` also has a ``<url>#comments`` link in the list;
      the modern list links every article twice (title and "Read more").
    * the "popular news" sidebar on every page links 5 news articles and 2 articles of
      the other section (``/ru/analitika/…``, never to be stored).
    * phase 2 shifts every list page by 3 items, so articles reappear on other pages.
    * ``k=6`` (``REDIRECT``): the list links the legacy URL ``/ru/news/index.php?ELEMENT_ID=
      <id>`` (kk: ``/kz/news/old-<id>.php``), which answers 301 to the pretty URL. Both
      legacy forms redirect for every article (``server.py``).
    * ``MISSING``: an extra list item, 15th in every phase-1 list (page 2), links
      ``/ru/news/<code>/``, which answers 404 (a stale list cache); not an expected article.
    * URL styles: ``k % 9 == 4`` is ``/ru/news/<ID>/``, ``k % 23 == 11`` is
      ``/ru/news/detail.php?ELEMENT_ID=<ID>``, the rest ``/ru/news/<code>/``.
    * the default layout prints its pager above and below the list; pager links to page 1
      come both bare and as ``?PAGEN_1=1``.

Server behaviour (``server.py``; state kept per server instance)
    * ``k=4`` (``UNAVAILABLE``): the article answers 503 to its first
      ``ARTICLE_FAILURES[lang]`` requests (ru 1, kk 2, en 1), then 200.
    * list page ``LIST_FAILURE_PAGE`` of ``LIST_FAILURE_LANG`` (``/en/news/?PAGEN_1=2`` or
      ``?nav-news=page-2``) answers 503 to its first ``LIST_FAILURES`` (2) requests.
    * ``k=7`` of ``ru`` (``WINDOWS_1251``): served as windows-1251 with the header
      ``Content-Type: text/html`` (no charset) and only a ``<meta http-equiv>`` declaration;
      characters outside cp1251 (the Kazakh switcher label) become ``&#NNNN;``.
    * out-of-range page numbers serve the last page again (no 404), ``?PAGEN_1=1`` serves
      page 1.

Page content (``content.py``, ``formats.py``, ``templates.py``)
    * ``k=3`` (``NO_VIEWS``): no view counter at all; ``k=1`` always shows a count of
      thousands (``1&nbsp;234``, a no-break space), other counts are random.
    * ``k=0`` / ``k=1`` of ``ru``: dates ``Сегодня, 10:15`` / ``Вчера, 18:40`` (relative to
      the day of the request).
    * ``k=9`` (``UNDATED``): date text ``Дата уточняется`` (kk ``Күні нақтыланады``, en
      ``Date to be confirmed``).
    * ``k % 13 == 6``: an alternative date form (``24 августа 2022 г., 14:30``,
      ``24 August 2022``…) instead of the layout's own.
    * ``k % 5 == 0``: a video embed with an inline ``<script>`` inside the article text;
      ``k % 4 == 1``: a picture inside the text (two when ``k % 12 == 9``); ``k % 7 == 5``:
      no detail picture.
    * lists and sidebars show ``/upload/resize_cache/…`` thumbnails; the default detail
      block holds share icons; none of them are article images.
    * non-article links in the news section: ``/ru/news/rss/`` (RSS XML),
      ``/ru/news/search/?q=…`` and ``/ru/news/?tag=…`` (small list-like pages).
    * every page: menu, language switcher, breadcrumbs, share block, sidebar, counters
      (Yandex.Metrika with a ``<noscript><img>``, LiveInternet), logo and icons.
    * ``sitemap.xml`` also lists ``sitemap_files.xml`` (home, about and section pages)
      and the other sections' iblocks: a crawler must keep only its sections' articles.

Phase 2
    * ``k=8`` of ``ru`` (``EDITED``, the only edit): a sentence is appended to its first
      paragraph; its sitemap ``<lastmod>`` moves to :data:`EDIT_TIME`.
    * three new articles on top of every news list; every view count rises.

Imports the standard library only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Story(Protocol):
    """What the link rules read of a story (:class:`.content.Story`; described here so
    that this module, which ``content`` imports, does not import it back)."""

    lang: str
    id: int
    path: str
    list_path: str
    roles: frozenset[str]


TRACKING = "tracking"
NO_VIEWS = "no_views"
UNAVAILABLE = "unavailable"
REDIRECT = "redirect"
WINDOWS_1251 = "windows_1251"
EDITED = "edited"
UNDATED = "undated"
TODAY = "today"
YESTERDAY = "yesterday"
MISSING = "missing"

#: Fault roles by list position ``k``; a role listed in ``ONLY`` applies to one language.
ROLES = {
    0: TODAY,
    1: YESTERDAY,
    2: TRACKING,
    3: NO_VIEWS,
    4: UNAVAILABLE,
    6: REDIRECT,
    7: WINDOWS_1251,
    8: EDITED,
    9: UNDATED,
}
ONLY = {TODAY: "ru", YESTERDAY: "ru", WINDOWS_1251: "ru", EDITED: "ru"}

#: The position after which the 404 list item is inserted.
MISSING_AFTER = 13

TRACKING_QUERY = "utm_source=telegram&utm_medium=social&utm_campaign=news"

ARTICLE_FAILURES = {"ru": 1, "kk": 2, "en": 1}
LIST_FAILURE_LANG = "en"
LIST_FAILURE_PAGE = 2
LIST_FAILURES = 2

#: When the phase-2 edit happened (sitemap ``<lastmod>`` of the edited article).
EDIT_TIME = datetime(2024, 12, 4, 16, 30)

#: Clock times shown by the relative dates.
TODAY_TIME = (10, 15)
YESTERDAY_TIME = (18, 40)


def roles_for(lang: str, k: int) -> frozenset[str]:
    """Return the fault roles of the news article at list position ``k`` of ``lang``."""
    role = ROLES.get(k)
    if role is None or ONLY.get(role, lang) != lang:
        return frozenset()
    return frozenset({role})


def legacy_path(story: Story) -> str:
    """The old URL of ``story`` that 301-redirects to its canonical one."""
    if story.lang == "kk":
        return f"{story.list_path}old-{story.id}.php"
    return f"{story.list_path}index.php?ELEMENT_ID={story.id}"


def list_href(story: Story) -> str:
    """The link a news list gives ``story`` (tracking and legacy URLs included)."""
    if TRACKING in story.roles:
        return f"{story.path}{'&' if '?' in story.path else '?'}{TRACKING_QUERY}"
    if REDIRECT in story.roles:
        return legacy_path(story)
    return story.path
