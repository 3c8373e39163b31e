"""Machine-readable files: ``robots.txt``, the SEO-module sitemaps and the RSS feeds.

Imports :mod:`.faults`, :mod:`.formats`, :mod:`.content`, :mod:`.words`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from . import faults, formats
from .content import Snapshot, Story, section_path
from .words import LANG_PATH, LANGS, SITE_NAME, label

#: Bitrix iblock IDs of each language's sections (``sitemap_iblock_<id>.xml``).
IBLOCKS = {
    ("ru", "news"): 5,
    ("ru", "other"): 6,
    ("kk", "news"): 12,
    ("kk", "other"): 13,
    ("en", "news"): 19,
    ("en", "other"): 20,
}

TZ = timezone(timedelta(hours=5))

#: Last change of the static pages (``sitemap_files.xml``).
_STATIC_TIME = datetime(2024, 6, 3, 9, 0)

_ROBOTS_OPEN = """User-agent: *
Disallow: /bitrix/

Sitemap: {base}/sitemap.xml
"""

# The robots.txt the Bitrix SEO module writes.
_ROBOTS_BITRIX = """User-Agent: *
Disallow: */index.php
Disallow: /bitrix/
Disallow: /*show_include_exec_time=
Disallow: /*show_page_exec_time=
Disallow: /*show_sql_stat=
Disallow: /*bitrix_include_areas=
Disallow: /*clear_cache=
Disallow: /*clear_cache_session=
Disallow: /*ADD_TO_COMPARE_LIST
Disallow: /*ORDER_BY
Disallow: /*PAGEN
Disallow: /*?print=
Disallow: /*&print=
Disallow: /*print_course=
Disallow: /*?action=
Disallow: /*&action=
Disallow: /*register=
Disallow: /*forgot_password=
Disallow: /*change_password=
Disallow: /*login=
Disallow: /*logout=
Disallow: /*auth=
Disallow: /*backurl=
Disallow: /*back_url=
Disallow: /*BACKURL=
Disallow: /*BACK_URL=
Disallow: /*back_url_admin=
Disallow: /*?utm_source=
Disallow: /*?bxajaxid=
Disallow: /*&bxajaxid=
Disallow: /*?view_result=
Disallow: /*&view_result=
Disallow: /auth/
Disallow: /personal/
Disallow: /search/
Disallow: /*/search/
Allow: /bitrix/components/
Allow: /bitrix/cache/
Allow: /bitrix/js/
Allow: /bitrix/templates/
Allow: /bitrix/panel/
Sitemap: {base}/sitemap.xml
"""

_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def robots(mode: str, base: str) -> str:
    """``robots.txt`` in ``mode`` ``open`` or ``bitrix``."""
    return (_ROBOTS_OPEN if mode == "open" else _ROBOTS_BITRIX).format(base=base)


def lastmod(story: Story, today: date) -> datetime:
    """When ``story`` last changed (relative-date stories: their shown time)."""
    if story.date_style in (faults.TODAY, faults.YESTERDAY):
        return formats.effective_time(story, today)
    return story.modified


def sitemap_index(snap: Snapshot, base: str, today: date) -> str:
    """``sitemap.xml``: the static-files sitemap and one sitemap per iblock."""
    entries = [
        f"<sitemap><loc>{base}/sitemap_files.xml</loc><lastmod>{_w3c(_STATIC_TIME)}"
        "</lastmod></sitemap>"
    ]
    for (lang, section), iblock in IBLOCKS.items():
        newest = max(lastmod(s, today) for s in _section(snap, lang, section))
        entries.append(
            f"<sitemap><loc>{base}/sitemap_iblock_{iblock}.xml</loc>"
            f"<lastmod>{_w3c(newest)}</lastmod></sitemap>"
        )
    return f"{_XML}<sitemapindex {_NS}>\n" + "\n".join(entries) + "\n</sitemapindex>\n"


def sitemap_iblock(snap: Snapshot, base: str, iblock: int, today: date) -> str | None:
    """``sitemap_iblock_<id>.xml``: every article of one section; None for an unknown id."""
    key = next((k for k, v in IBLOCKS.items() if v == iblock), None)
    if key is None:
        return None
    urls = "".join(
        f"<url><loc>{escape(base + s.path)}</loc><lastmod>{_w3c(lastmod(s, today))}"
        "</lastmod></url>\n"
        for s in _section(snap, *key)
    )
    return f"{_XML}<urlset {_NS}>\n{urls}</urlset>\n"


def sitemap_files(base: str) -> str:
    """``sitemap_files.xml``: home, about and section pages of every language."""
    paths = []
    for lang in LANGS:
        root = f"/{LANG_PATH[lang]}/"
        paths += [root, f"{root}about/", section_path(lang, "news"), section_path(lang, "other")]
    urls = "".join(
        f"<url><loc>{base}{p}</loc><lastmod>{_w3c(_STATIC_TIME)}</lastmod></url>\n" for p in paths
    )
    return f"{_XML}<urlset {_NS}>\n{urls}</urlset>\n"


def rss(snap: Snapshot, base: str, lang: str, today: date) -> str:
    """The news RSS feed: the ten newest articles, links tagged ``?utm_source=rss``."""
    items = []
    for s in snap.articles(lang)[:10]:
        link = f"{base}{s.path}{'&' if '?' in s.path else '?'}utm_source=rss"
        published = formats.effective_time(s, today).replace(tzinfo=TZ)
        items.append(
            f"<item>\n<title>{escape(s.title)}</title>\n<link>{escape(link)}</link>\n"
            f"<description><![CDATA[{s.preview}]]></description>\n"
            f"<category>{escape(s.category)}</category>\n"
            f"<pubDate>{format_datetime(published)}</pubDate>\n</item>\n"
        )
    title = f"{label(lang, 'news')} | {SITE_NAME[lang]}"
    return (
        f'{_XML}<rss version="2.0">\n<channel>\n<title>{escape(title)}</title>\n'
        f"<link>{base}{section_path(lang, 'news')}</link>\n"
        f"<description>{escape(title)}</description>\n<ttl>60</ttl>\n"
        + "".join(items)
        + "</channel>\n</rss>\n"
    )


def _section(snap: Snapshot, lang: str, section: str) -> list[Story]:
    return snap.articles(lang) if section == "news" else list(snap.other[lang])


def _w3c(when: datetime) -> str:
    """W3C datetime in Kazakhstan time: ``2022-08-24T10:57:00+05:00``."""
    return when.replace(tzinfo=TZ).isoformat()
