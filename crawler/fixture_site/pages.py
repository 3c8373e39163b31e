"""HTML pages of the site: lists, articles, tag and search pages, static pages, 404.

Each function returns a complete document in the family of the page's language.

Imports :mod:`.faults`, :mod:`.content`, :mod:`.templates`, :mod:`.words`.
"""

from __future__ import annotations

from html import escape

from . import faults
from .content import Story, section_path
from .templates import Ctx, Family, Page, Pager, crumbs_for
from .words import LANG_PATH, SITE_NAME, label

PER_PAGE = 10


def page_count(total: int) -> int:
    """Number of list pages for ``total`` items (at least one)."""
    return max(1, -(-total // PER_PAGE))


def list_page(ctx: Ctx, family: Family, section: str, requested: int) -> str:
    """Page number ``requested`` of a section list (:meth:`Family.position`)."""
    stories = ctx.snap.news[ctx.lang] if section == "news" else ctx.snap.other[ctx.lang]
    pages = page_count(len(stories))
    n = family.position(requested, pages)
    path = section_path(ctx.lang, section)
    shown = stories[(n - 1) * PER_PAGE : n * PER_PAGE]
    pager = family.pager(ctx.lang, Pager(path, n, pages, len(stories), PER_PAGE))
    items = [(s, escape(faults.list_href(s))) for s in shown]
    heading = label(ctx.lang, "news" if section == "news" else "other")
    return _document(ctx, family, heading, family.list_main(ctx, items, pager), section)


def article_page(ctx: Ctx, family: Family, story: Story, charset: str = "UTF-8") -> str:
    """The detail page of ``story``."""
    page = Page(
        title=f"{story.title} | {SITE_NAME[ctx.lang]}",
        heading=story.title if family.name == "default" else None,
        main=family.detail(ctx, story),
        crumbs=crumbs_for(ctx.lang, story.section, story.title),
        story=story,
        charset=charset,
    )
    return family.document(ctx, page)


def tag_page(ctx: Ctx, family: Family, category: str) -> str:
    """The newest articles of one category, in list markup without a pager."""
    stories = [s for s in ctx.snap.articles(ctx.lang) if s.category == category][:PER_PAGE]
    items = [(s, escape(s.path)) for s in stories]
    return _document(ctx, family, category, family.list_main(ctx, items, ""), "news")


def search_page(ctx: Ctx, family: Family, query: str) -> str:
    """Search results within the news section (a few matches, linked by title)."""
    needle = query.casefold()
    hits = [
        s
        for s in ctx.snap.articles(ctx.lang)
        if needle and needle in " ".join(s.paragraphs).casefold()
    ][:PER_PAGE]
    results = "".join(
        f'<div class="search-item"><h4><a href="{escape(s.path)}">{escape(s.title)}</a></h4>'
        f'<div class="search-preview">{escape(s.preview)}</div>'
        f'<div class="search-item-date">{family.date(s, ctx)}</div></div>\n'
        for s in hits
    )
    main = (
        f'<div class="search-page"><form action="" method="get"><input type="text" name="q" '
        f'value="{escape(query)}" /><input type="submit" value="{label(ctx.lang, "search")}" />'
        f"</form>\n{results}</div>"
    )
    return _document(ctx, family, label(ctx.lang, "search_results"), main, "news")


def static_page(ctx: Ctx, family: Family, kind: str) -> str:
    """The language home page (``home``: latest news) or the ``about`` page."""
    lang = ctx.lang
    if kind == "home":
        latest = "".join(
            f'<li><a href="{escape(s.path)}">{escape(s.title)}</a></li>'
            for s in ctx.snap.articles(lang)[:5]
        )
        main = f'<ul class="home-news">{latest}</ul>'
        heading = SITE_NAME[lang]
    else:
        main = f"<p>{escape(label(lang, 'about_text'))}</p>"
        heading = label(lang, "about")
    crumbs = [(f"/{LANG_PATH[lang]}/", label(lang, "home")), ("", heading)]
    return family.document(ctx, Page(f"{heading} | {SITE_NAME[lang]}", heading, main, crumbs))


def not_found_page(ctx: Ctx, family: Family) -> str:
    """The site's 404 page."""
    text = label(ctx.lang, "not_found")
    crumbs = [(f"/{LANG_PATH[ctx.lang]}/", label(ctx.lang, "home")), ("", text)]
    main = f'<p class="errortext">{text}</p>'
    return family.document(ctx, Page(f"{text} | {SITE_NAME[ctx.lang]}", text, main, crumbs))


def _document(ctx: Ctx, family: Family, heading: str, main: str, section: str) -> str:
    """Wrap ``main``; a section's own list ends its breadcrumbs at the section."""
    home, parent, current = crumbs_for(ctx.lang, section, heading)
    crumbs = [home, current] if parent[1] == heading else [home, parent, current]
    return family.document(ctx, Page(f"{heading} | {SITE_NAME[ctx.lang]}", heading, main, crumbs))
