"""HTML rendering per markup family.

* ``default`` - the stock Bitrix ``news.list`` / ``news.detail`` / ``system.pagenavigation``
  templates (``p.news-item``, ``span.news-date-time``, ``<h3>`` title, bare ``<br />`` text).
* ``custom`` - a seed-like custom template (``div.article-card``, eye-icon counter,
  ``div.modern-page-navigation`` pager).
* ``modern`` - a Bootstrap template without ``<h1>`` (``span.title-text``), dates with a
  time, labelled counters and the D7 ``bx-pagination`` pager (``?nav-news=page-<n>``).

Everything is plain string formatting: a page renders in well under a millisecond.

Imports :mod:`.chrome`, :mod:`.formats`, :mod:`.content`, :mod:`.words`.

Over 400 lines: the HTML of three markup families, template by template.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

from . import chrome, formats
from .content import Snapshot, Story, section_path, slugify
from .words import CATEGORIES, LANG_PATH, PROBE_WORDS, SITE_NAME, label


@dataclass(frozen=True)
class Ctx:
    """What a page needs besides its own content."""

    base: str
    snap: Snapshot
    lang: str
    today: date


@dataclass(frozen=True)
class Page:
    """One page to wrap in the family's chrome."""

    title: str
    heading: str | None
    main: str
    crumbs: list[tuple[str, str]]  # (href, text); the current page has href ""
    story: Story | None = None
    charset: str = "UTF-8"


@dataclass(frozen=True)
class Pager:
    """Position of a list page: ``page`` of ``pages``, ``total`` items."""

    path: str
    page: int
    pages: int
    total: int
    per_page: int


class Family(ABC):
    """Markup shared by the families; subclasses supply the family-specific parts."""

    name = ""
    template = ""
    date_style = ""
    shows_category = True
    #: The article page shows the date (False: only the list does, beside the link).
    dates_on_article = True

    # --- values as the page shows them ---------------------------------------------

    def date(self, story: Story, ctx: Ctx) -> str:
        """The story's date as this family shows it (HTML-escaped)."""
        return escape(formats.show_date(story, self.date_style, ctx.today).text)

    def views_prefix(self, lang: str) -> str:
        """Label before the count on the article page ("" for an icon-only counter)."""
        return ""

    # --- pagination ------------------------------------------------------------------

    def page_number(self, query: dict[str, list[str]]) -> int:
        """The page number requested by ``query`` (1 when absent or unreadable)."""
        value = query.get("PAGEN_1", ["1"])[0]
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def page_href(self, path: str, n: int) -> str:
        """The link to page ``n`` of the list at ``path``."""
        return path if n == 1 else f"{path}?PAGEN_1={n}"

    def position(self, requested: int, pages: int) -> int:
        """Which list page (1 = the newest items) page number ``requested`` shows, of
        ``pages``: past the end, the last one (as Bitrix does)."""
        return min(requested, pages)

    # --- what each family renders ----------------------------------------------------

    @abstractmethod
    def document(self, ctx: Ctx, page: Page) -> str:
        """A complete HTML document: ``page`` in the family's chrome."""

    @abstractmethod
    def list_main(self, ctx: Ctx, items: list[tuple[Story, str]], pager: str) -> str:
        """A list's main area: the (story, escaped href) items and the pager HTML."""

    @abstractmethod
    def pager(self, lang: str, pager: Pager) -> str:
        """The pager of one list page."""

    @abstractmethod
    def detail(self, ctx: Ctx, story: Story) -> str:
        """An article's main area."""

    # --- shared fragments ------------------------------------------------------------

    def image(self, path: str, alt: str = "", cls: str = "", size: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        return f'<img{attr} src="{path}"{size} alt="{escape(alt)}" />'

    def body_blocks(self, story: Story) -> list[tuple[str, str]]:
        """Article text as (kind, html) blocks: ``p`` text, ``img`` pictures, ``raw`` video."""
        blocks: list[tuple[str, str]] = []
        for i, paragraph in enumerate(story.paragraphs):
            blocks.append(("p", escape(paragraph)))
            if i == 0:
                size = width_height(640)
                blocks += [("img", self.image(path, size=size)) for path in story.body_images]
            if i == 1 and story.video:
                blocks.append(("raw", chrome.video_embed(story.id)))
        return blocks

    def extras(self, lang: str) -> list[tuple[str, str]]:
        """Non-article links of the news section: tags, a search, the RSS feed."""
        news = section_path(lang, "news")
        links = [(f"{news}?tag={slugify(c)}", c) for c in CATEGORIES[lang]]
        word = PROBE_WORDS[lang]
        links.append((f"{news}search/?q={quote(word)}", f"{label(lang, 'search')}: {word}"))
        links.append((f"{news}rss/", "RSS"))
        return links


def width_height(width: int) -> str:
    """``width``/``height`` attributes for a 3:2 picture."""
    return f' width="{width}" height="{width * 2 // 3}"'


def thumb(path: str, size: str) -> str:
    """The ``resize_cache`` copy of an ``/upload/iblock/`` picture at ``size``."""
    folder, name = path.rsplit("/", 1)
    return f"{folder.replace('/upload/', '/upload/resize_cache/', 1)}/{size}/{name}"


def views_html(views: int) -> str:
    """A count as Bitrix prints it: ``1&nbsp;234``."""
    return formats.number(views).replace(formats.NBSP, "&nbsp;")


def crumbs_for(lang: str, section: str, current: str) -> list[tuple[str, str]]:
    """Breadcrumbs: home, the section, the current page."""
    return [
        (f"/{LANG_PATH[lang]}/", label(lang, "home")),
        (section_path(lang, section), label(lang, section)),
        ("", current),
    ]


class DefaultFamily(Family):
    """The stock Bitrix templates."""

    name = "default"
    template = "main"
    date_style = "default"
    shows_category = False

    def views_prefix(self, lang: str) -> str:
        return label(lang, "views") + ":"

    def document(self, ctx: Ctx, page: Page) -> str:
        lang, tpl = ctx.lang, self.template
        menu = "".join(
            f'<li><a href="{href}" class="root-item">{escape(text)}</a></li>'
            for href, text in chrome.menu(lang)
        )
        langs = " | ".join(
            f'<a href="{href}">{text}</a>' if code != lang else f"<b>{text}</b>"
            for code, href, text in chrome.switcher()
        )
        crumbs = " / ".join(
            f'<a href="{href}" title="{escape(text)}">{escape(text)}</a>'
            if href
            else f"<span>{escape(text)}</span>"
            for href, text in page.crumbs
        )
        heading = f'<h1 id="pagetitle">{escape(page.heading)}</h1>\n' if page.heading else ""
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}" lang="{lang}">
<head>
{chrome.head(lang, tpl, page.title, page.charset)}</head>
<body>
<div id="panel"></div>
<div id="page-wrapper">
<div id="header">
<div id="header-title"><a href="/{LANG_PATH[lang]}/"><img src="{chrome.logo(tpl)}" \
alt="{escape(SITE_NAME[lang])}" /></a></div>
<div id="header-lang">{langs}</div>
<div id="search"><form action="/{LANG_PATH[lang]}/search/" method="get">\
<input type="text" name="q" value="" size="15" maxlength="50" />\
<input name="s" type="submit" value="{label(lang, "search")}" /></form></div>
<div id="top-menu"><ul id="horizontal-multilevel-menu">{menu}</ul></div>
</div>
<div id="breadcrumb">{crumbs}</div>
<div id="content">
<div id="workarea">
{heading}{page.main}
</div>
{self.sidebar(ctx)}
</div>
<div id="footer">
<div id="copyright">&copy; 2024 {escape(SITE_NAME[lang])}. {label(lang, "rights")}</div>
<div id="address">{escape(label(lang, "address"))}</div>
</div>
</div>
{chrome.counters()}</body>
</html>
"""

    def sidebar(self, ctx: Ctx) -> str:
        items = "".join(
            f'<div class="popular-news-item"><span class="news-date-time">{self.date(s, ctx)}'
            f'</span><br /><a href="{escape(s.path)}">{escape(s.title)}</a></div>\n'
            for s in ctx.snap.popular[ctx.lang]
        )
        links = "<br />".join(
            f'<a href="{escape(h)}">{escape(t)}</a>' for h, t in self.extras(ctx.lang)
        )
        return (
            f'<div id="sidebar">\n<div class="popular-news"><div class="popular-news-title">'
            f"{label(ctx.lang, 'popular')}</div>\n{items}</div>\n"
            f'<div class="information-block">{links}</div>\n</div>'
        )

    def list_main(self, ctx: Ctx, items: list[tuple[Story, str]], pager: str) -> str:
        body = "".join(self.item(ctx, story, href) for story, href in items)
        return f'<div class="news-list">\n{pager}<br />\n{body}{pager}\n</div>'

    def item(self, ctx: Ctx, story: Story, href: str) -> str:
        title = escape(story.title)
        picture = (
            f'<a href="{href}"><img class="preview_picture" border="0" '
            f'src="{thumb(story.detail_image, "100_75_2")}" width="100" height="75" '
            f'alt="{title}" title="{title}" style="float:left" /></a>\n'
            if story.detail_image
            else ""
        )
        props = ""
        if story.views is not None:
            props += (
                f"<small>{label(ctx.lang, 'views')}:&nbsp;{views_html(story.views)}</small><br />\n"
            )
        if story.comments:
            props += (
                f'<small><a href="{escape(story.path)}#comments">{story.comments} '
                f"{label(ctx.lang, 'comments')}</a></small><br />\n"
            )
        return (
            f'<p class="news-item" id="bx_651765591_{story.id}">\n{picture}'
            f'<span class="news-date-time">{self.date(story, ctx)}</span>\n'
            f'<a href="{href}"><b>{title}</b></a><br />\n{escape(story.preview)}\n'
            f'<div style="clear:both"></div>\n{props}</p>\n'
        )

    def pager(self, lang: str, pager: Pager) -> str:
        n, last = pager.page, pager.pages
        first_item = (n - 1) * pager.per_page + 1
        shown = min(n * pager.per_page, pager.total)
        words = {k: label(lang, k) for k in ("first", "nav_prev", "nav_next", "last")}
        parts = []
        if n > 1:
            parts.append(f'<a href="{pager.path}">{words["first"]}</a>')
            prev = f"{pager.path}?PAGEN_1={n - 1}"
            parts.append(f'<a href="{prev}">{words["nav_prev"]}</a>')
        else:
            parts += [words["first"], words["nav_prev"]]
        start = max(1, min(n - 2, last - 4))
        numbers = [
            f"<b>{i}</b>" if i == n else f'<a href="{self.page_href(pager.path, i)}">{i}</a>'
            for i in range(start, min(last, start + 4) + 1)
        ]
        parts.append("&nbsp;".join(numbers))
        if n < last:
            parts.append(f'<a href="{pager.path}?PAGEN_1={n + 1}">{words["nav_next"]}</a>')
            parts.append(f'<a href="{pager.path}?PAGEN_1={last}">{words["last"]}</a>')
        else:
            parts += [words["nav_next"], words["last"]]
        news = label(lang, "news")
        return (
            f'<font class="text">{news} {first_item} - {shown} {label(lang, "of")} '
            f'{pager.total}<br /></font>\n<font class="text">\n'
            + "&nbsp;|&nbsp;".join(parts)
            + "\n</font>\n"
        )

    def detail(self, ctx: Ctx, story: Story) -> str:
        lang = ctx.lang
        picture = (
            self.image(story.detail_image, story.title, "detail_picture", width_height(600)) + "\n"
            if story.detail_image
            else ""
        )
        text = "".join(
            f"{html}<br />\n" + ("<br />\n" if story.id % 2 else "") if kind != "raw" else html
            for kind, html in self.body_blocks(story)
        )
        views = (
            f"{label(lang, 'views')}:&nbsp;{views_html(story.views)}<br />\n"
            if story.views is not None
            else ""
        )
        share = "".join(
            f'<a class="share-{s}" href="{href}" target="_blank" rel="nofollow">'
            f'<img src="{chrome.icon(self.template, s)}" alt="{s}" /></a>'
            for s, href in chrome.share_links(ctx.base + story.path, story.title)
        )
        return (
            f'<div class="news-detail">\n{picture}'
            f'<span class="news-date-time">{self.date(story, ctx)}</span>\n'
            f"<h3>{escape(story.title)}</h3>\n{text}"
            f'<div style="clear:both"></div>\n<br />\n{views}'
            f'<div class="news-detail-share"><noindex>{share}</noindex></div>\n</div>\n'
            f'<p><a href="{story.list_path}">{label(lang, "back")}</a></p>'
        )


class CustomFamily(Family):
    """A custom template shaped like the seed page."""

    name = "custom"
    template = "assembly"
    date_style = "custom"

    def document(self, ctx: Ctx, page: Page) -> str:
        lang, tpl = ctx.lang, self.template
        menu = "".join(
            f'<li class="menu__item"><a class="menu__link" href="{h}">{escape(t)}</a></li>'
            for h, t in chrome.menu(lang)
        )
        langs = "".join(
            f'<a class="lang-switch__item{" is-active" if code == lang else ""}" '
            f'href="{href}">{text}</a>'
            for code, href, text in chrome.switcher()
        )
        crumbs = "".join(
            f'<li><a href="{h}">{escape(t)}</a></li>' if h else f"<li><span>{escape(t)}</span></li>"
            for h, t in page.crumbs
        )
        og = self.og(ctx, page.story)
        heading = f'<h1 class="page-title">{escape(page.heading)}</h1>\n' if page.heading else ""
        return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{chrome.head(lang, tpl, page.title, page.charset)}{og}</head>
<body class="page page--{page.story.section if page.story else "list"}">
<header class="header">
<div class="container header__inner">
<a class="header__logo" href="/{LANG_PATH[lang]}/"><img src="{chrome.logo(tpl)}" \
alt="{escape(SITE_NAME[lang])}"></a>
<nav class="header__menu"><ul class="menu">{menu}</ul></nav>
<div class="lang-switch">{langs}</div>
<a class="header__search" href="/{LANG_PATH[lang]}/search/">\
<img src="{chrome.icon(tpl, "search")}" alt=""></a>
</div>
</header>
<main class="main">
<div class="container">
<ul class="breadcrumbs">{crumbs}</ul>
<div class="layout">
<div class="layout__content">
{heading}{page.main}
</div>
{self.sidebar(ctx)}
</div>
</div>
</main>
<footer class="footer"><div class="container">
<div class="footer__logo"><img src="/local/templates/{tpl}/images/logo-white.png" alt=""></div>
<div class="footer__copy">&copy; 2024 {escape(SITE_NAME[lang])}. {label(lang, "rights")}</div>
<div class="footer__address">{escape(label(lang, "address"))}</div>
<div class="footer__social"><a href="https://www.facebook.com/assembly.kz"><img \
src="{chrome.icon(tpl, "facebook")}" alt="Facebook"></a><a href="https://t.me/assemblykz">\
<img src="{chrome.icon(tpl, "telegram")}" alt="Telegram"></a></div>
</div></footer>
{chrome.counters()}</body>
</html>
"""

    def og(self, ctx: Ctx, story: Story | None) -> str:
        if story is None:
            return ""
        tags = [
            f'<meta property="og:title" content="{escape(story.title)}" />',
            f'<meta property="og:description" content="{escape(story.preview)}" />',
        ]
        if story.detail_image:
            tags.append(f'<meta property="og:image" content="{ctx.base}{story.detail_image}" />')
        return "\n".join(tags) + "\n"

    def sidebar(self, ctx: Ctx) -> str:
        items = "".join(self.popular_item(ctx, s) for s in ctx.snap.popular[ctx.lang])
        tags = "".join(
            f'<a class="tag" href="{escape(h)}">{escape(t)}</a>' for h, t in self.extras(ctx.lang)
        )
        return (
            f'<aside class="layout__sidebar sidebar">\n<div class="sidebar__block">'
            f'<div class="sidebar__title">{label(ctx.lang, "popular")}</div>\n{items}</div>\n'
            f'<div class="sidebar__block sidebar__tags"><div class="sidebar__title">'
            f"{label(ctx.lang, 'tags')}</div>{tags}</div>\n</aside>"
        )

    def popular_item(self, ctx: Ctx, story: Story) -> str:
        picture = (
            f'<img class="popular-item__image" src="{thumb(story.detail_image, "120_80_2")}" '
            'alt="">'
            if story.detail_image
            else ""
        )
        return (
            f'<a class="popular-item" href="{escape(story.path)}">{picture}'
            f'<span class="popular-item__title">{escape(story.title)}</span>'
            f'<span class="popular-item__date">{self.date(story, ctx)}</span></a>\n'
        )

    def list_main(self, ctx: Ctx, items: list[tuple[Story, str]], pager: str) -> str:
        cards = "".join(self.item(ctx, story, href) for story, href in items)
        return f'<div class="news-grid">\n{cards}</div>\n{pager}'

    def item(self, ctx: Ctx, story: Story, href: str) -> str:
        picture = (
            f'<a class="news-card__image" href="{href}"><img src="'
            f'{thumb(story.detail_image, "400_260_2")}" alt="{escape(story.title)}" '
            'loading="lazy"></a>\n'
            if story.detail_image
            else ""
        )
        views = (
            f'<span class="news-card__views"><i class="icon icon-eye"></i> '
            f"{views_html(story.views)}</span>"
            if story.views is not None
            else ""
        )
        comments = (
            f'<a class="news-card__comments" href="{escape(story.path)}#comments">'
            f'<i class="icon icon-comment"></i> {story.comments}</a>\n'
            if story.comments
            else ""
        )
        return (
            f'<div class="news-card" id="bx_3218110189_{story.id}">\n{picture}'
            f'<div class="news-card__body">\n<div class="news-card__meta">'
            f'<span class="news-card__date">{self.date(story, ctx)}</span>{views}</div>\n'
            f'<a class="news-card__title" href="{href}">{escape(story.title)}</a>\n'
            f'<div class="news-card__text">{escape(story.preview)}</div>\n'
            f"{comments}</div>\n</div>\n"
        )

    def page_href(self, path: str, n: int) -> str:
        return path if n == 1 else f"?PAGEN_1={n}"

    def pager(self, lang: str, pager: Pager) -> str:
        n, last, path = pager.page, pager.pages, pager.path
        parts = [f'<span class="modern-page-title">{label(lang, "pages")}</span>']
        if n > 1:
            parts.append(
                f'<a class="modern-page-previous" href="{path}?PAGEN_1={n - 1}">'
                f"{label(lang, 'prev')}</a>"
            )
        start, end = max(1, n - 2), min(last, n + 2)
        if start > 1:
            parts.append(f'<a class="modern-page-first" href="{path}">1</a>')
            if start > 2:
                parts.append('<span class="modern-page-dots">...</span>')
        for i in range(start, end + 1):
            if i == n:
                parts.append(f'<span class="modern-page-current">{i}</span>')
            else:
                first = ' class="modern-page-first"' if i == 1 else ""
                parts.append(f'<a{first} href="{self.page_href(path, i)}">{i}</a>')
        if end < last:
            if end < last - 1:
                parts.append('<span class="modern-page-dots">...</span>')
            parts.append(f'<a class="modern-page-last" href="?PAGEN_1={last}">{last}</a>')
        if n < last:
            parts.append(
                f'<a class="modern-page-next" href="?PAGEN_1={n + 1}">{label(lang, "next")}</a>'
            )
        return '<div class="modern-page-navigation">\n' + "\n".join(parts) + "\n</div>\n"

    def detail(self, ctx: Ctx, story: Story) -> str:
        lang = ctx.lang
        views = (
            f'<span class="article-card__views"><i class="icon icon-eye"></i> '
            f"{views_html(story.views)}</span>"
            if story.views is not None
            else ""
        )
        picture = (
            f'<div class="article-card__image">{self.image(story.detail_image, story.title)}'
            "</div>\n"
            if story.detail_image
            else ""
        )
        text = "".join(
            html if kind == "raw" else f"<p>{html}</p>\n" for kind, html in self.body_blocks(story)
        )
        share = "".join(
            f'<a class="share__link share__link--{s}" href="{href}" target="_blank">'
            f'<img src="{chrome.icon(self.template, s)}" alt=""></a>'
            for s, href in chrome.share_links(ctx.base + story.path, story.title)
        )
        return (
            f'<div class="article-card">\n'
            f'<div class="article-card__category">{escape(story.category)}</div>\n'
            f'<div class="article-card__meta"><span class="article-card__date">'
            f"{self.date(story, ctx)}</span>{views}</div>\n"
            f'<h1 class="article-card__title">{escape(story.title)}</h1>\n{picture}'
            f'<div class="article-card__text">\n{text}</div>\n'
            f'<div class="article-card__share share"><span class="share__title">'
            f"{label(lang, 'share')}:</span>{share}</div>\n"
            f'<a class="article-card__back" href="{story.list_path}">{label(lang, "back")}</a>\n'
            "</div>"
        )


class ModernFamily(Family):
    """A Bootstrap template: no ``<h1>``, dates with a time, D7 pagination."""

    name = "modern"
    template = "anq"
    date_style = "modern"

    def views_prefix(self, lang: str) -> str:
        return label(lang, "views_long") + ":"

    def page_number(self, query: dict[str, list[str]]) -> int:
        value = query.get("nav-news", ["page-1"])[0].removeprefix("page-")
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def page_href(self, path: str, n: int) -> str:
        return path if n == 1 else f"{path}?nav-news=page-{n}"

    def document(self, ctx: Ctx, page: Page) -> str:
        lang, tpl = ctx.lang, self.template
        menu = "".join(
            f'<li class="nav-item"><a class="nav-link" href="{h}">{escape(t)}</a></li>'
            for h, t in chrome.menu(lang)
        )
        langs = "".join(
            f'<a class="dropdown-item{" active" if code == lang else ""}" href="{href}">{text}</a>'
            for code, href, text in chrome.switcher()
        )
        crumbs = "".join(
            f'<div class="bx-breadcrumb-item" id="bx_breadcrumb_{i}" itemprop="itemListElement" '
            f'itemscope itemtype="http://schema.org/ListItem">'
            + (
                f'<a href="{h}" title="{escape(t)}" itemprop="item"><span itemprop="name">'
                f"{escape(t)}</span></a>"
                if h
                else f"<span>{escape(t)}</span>"
            )
            + f'<meta itemprop="position" content="{i + 1}" /></div>'
            for i, (h, t) in enumerate(page.crumbs)
        )
        heading = (
            f'<div class="page-heading"><h2 class="h3">{escape(page.heading)}</h2></div>\n'
            if page.heading
            else ""
        )
        return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{chrome.head(lang, tpl, page.title, page.charset)}{self.og(ctx, page.story)}\
<link href="/local/templates/{tpl}/css/bootstrap.min.css" rel="stylesheet" />
</head>
<body>
<nav class="navbar navbar-expand-lg navbar-light bg-light">
<div class="container">
<a class="navbar-brand" href="/{LANG_PATH[lang]}/"><img src="{chrome.logo(tpl)}" height="48" \
alt="{escape(SITE_NAME[lang])}"></a>
<button class="navbar-toggler" type="button" data-toggle="collapse" data-target="#nav">\
<span class="navbar-toggler-icon"></span></button>
<div class="collapse navbar-collapse" id="nav"><ul class="navbar-nav mr-auto">{menu}</ul>
<div class="dropdown"><button class="btn btn-sm dropdown-toggle" data-toggle="dropdown">\
<img src="{chrome.icon(tpl, "globe")}" alt=""> {lang.upper()}</button>
<div class="dropdown-menu">{langs}</div></div></div>
</div>
</nav>
<div class="container">
<div class="bx-breadcrumb" itemprop="http://schema.org/breadcrumb" itemscope \
itemtype="http://schema.org/BreadcrumbList">{crumbs}<div style="clear:both"></div></div>
<div class="row">
<div class="col-lg-8">
{heading}{page.main}
</div>
<div class="col-lg-4">
{self.sidebar(ctx)}
</div>
</div>
</div>
<footer class="bg-dark text-white py-4 mt-4"><div class="container">
<p class="mb-1">&copy; 2024 {escape(SITE_NAME[lang])}. {label(lang, "rights")}</p>
<p class="small mb-0">{escape(label(lang, "address"))}</p>
</div></footer>
<script src="/local/templates/{tpl}/js/bootstrap.bundle.min.js"></script>
{chrome.counters()}</body>
</html>
"""

    def og(self, ctx: Ctx, story: Story | None) -> str:
        if story is None:
            return ""
        url = ctx.base + story.path
        locale = {"ru": "ru_RU", "kk": "kk_KZ", "en": "en_US"}[story.lang]
        tags = [
            f'<link rel="canonical" href="{escape(url)}" />',
            '<meta property="og:type" content="article" />',
            f'<meta property="og:title" content="{escape(story.title)}" />',
            f'<meta property="og:url" content="{escape(url)}" />',
            f'<meta property="og:locale" content="{locale}" />',
            f'<meta property="og:site_name" content="{escape(SITE_NAME[story.lang])}" />',
        ]
        return "\n".join(tags) + "\n"

    def sidebar(self, ctx: Ctx) -> str:
        items = "".join(
            f'<li class="media mb-2"><a href="{escape(s.path)}">{escape(s.title)}</a> '
            f'<small class="text-muted d-block">{self.date(s, ctx)}</small></li>\n'
            for s in ctx.snap.popular[ctx.lang]
        )
        links = "".join(
            f'<a class="badge badge-light" href="{escape(h)}">{escape(t)}</a> '
            for h, t in self.extras(ctx.lang)
        )
        return (
            f'<div class="sidebar-popular card card-body mb-3"><h3 class="h5">'
            f'{label(ctx.lang, "popular")}</h3>\n<ul class="list-unstyled">\n{items}</ul></div>\n'
            f'<div class="sidebar-tags card card-body"><h3 class="h5">{label(ctx.lang, "tags")}'
            f"</h3>{links}</div>"
        )

    def list_main(self, ctx: Ctx, items: list[tuple[Story, str]], pager: str) -> str:
        cards = "".join(self.item(ctx, story, href) for story, href in items)
        return f'<div class="news-list">\n<div class="row">\n{cards}</div>\n{pager}</div>'

    def item(self, ctx: Ctx, story: Story, href: str) -> str:
        lang = ctx.lang
        picture = (
            f'<a href="{href}"><img class="card-img-top" src="'
            f'{thumb(story.detail_image, "480_320_2")}" alt="{escape(story.title)}"></a>\n'
            if story.detail_image
            else ""
        )
        views = (
            '<div class="news-list-view news-list-post-params">'
            '<span class="news-list-icon news-list-icon-eye"></span>'
            f'<span class="news-list-param">{label(lang, "views_long")}:</span> '
            f'<span class="news-list-value">{views_html(story.views)}</span></div>\n'
            if story.views is not None
            else ""
        )
        comments = (
            f'<a class="news-list-comments" href="{escape(story.path)}#comments">'
            f"{story.comments} {label(lang, 'comments')}</a>\n"
            if story.comments
            else ""
        )
        return (
            f'<div class="news-list-item mb-2 col-sm-6 col-lg-4" id="bx_1373509569_{story.id}">\n'
            f'<div class="card">\n{picture}<div class="card-body">\n'
            f'<h4 class="card-title"><a href="{href}">{escape(story.title)}</a></h4>\n{views}'
            '<div class="news-list-date news-list-post-params">'
            '<span class="news-list-icon news-list-icon-calendar"></span>'
            f'<span class="news-list-param">{label(lang, "date")}:</span> '
            f'<span class="news-list-value">{self.date(story, ctx)}</span></div>\n'
            f'<p class="card-text">{escape(story.preview)}</p>\n{comments}'
            '<div class="d-flex justify-content-between"><div class="news-list-more">'
            f'<a class="btn btn-primary btn-sm" href="{href}">{label(lang, "more")}</a>'
            "</div></div>\n</div>\n</div>\n</div>\n"
        )

    def pager(self, lang: str, pager: Pager) -> str:
        n, last, path = pager.page, pager.pages, pager.path
        back, forward = label(lang, "back_arrow"), label(lang, "forward")
        items = [self.pager_item("bx-pag-prev", back, path, n - 1 if n > 1 else None)]
        for i in range(max(1, n - 2), min(last, n + 2) + 1):
            items.append(self.pager_item("bx-active" if i == n else "", str(i), path, i, n))
        items.append(self.pager_item("bx-pag-next", forward, path, n + 1 if n < last else None))
        return (
            '<div class="bx-pagination ">\n<div class="bx-pagination-container">\n<ul>\n'
            + "\n".join(items)
            + '\n</ul>\n<div style="clear:both"></div>\n</div>\n</div>\n'
        )

    def pager_item(
        self, cls: str, text: str, path: str, target: int | None, current: int = 0
    ) -> str:
        """One ``<li>``: a link to page ``target``, or a plain span (no target, current)."""
        if target is None or target == current:
            return f'<li class="{cls}"><span>{text}</span></li>'
        href = self.page_href(path, target)
        return f'<li class="{cls}"><a href="{href}"><span>{text}</span></a></li>'

    def detail(self, ctx: Ctx, story: Story) -> str:
        lang = ctx.lang
        views = (
            f'<div class="views"><i class="fa fa-eye"></i> {label(lang, "views_long")}: '
            f"{views_html(story.views)}</div>\n"
            if story.views is not None
            else ""
        )
        picture = (
            f'<div class="news-detail__image mb-3">'
            f"{self.image(story.detail_image, story.title, 'img-fluid')}</div>\n"
            if story.detail_image
            else ""
        )
        share = "".join(
            f'<a class="share-link share-link--{s}" href="{href}" target="_blank" '
            f'rel="noopener"><i class="fa fa-{s}"></i></a>'
            for s, href in chrome.share_links(ctx.base + story.path, story.title)
        )
        tag = f"{section_path(lang, 'news')}?tag={slugify(story.category)}"
        return (
            '<article class="news-detail" itemscope itemtype="https://schema.org/NewsArticle">\n'
            '<div class="news-detail__title-block">'
            f'<span class="title-text" itemprop="headline">{escape(story.title)}</span></div>\n'
            '<div class="news-detail__info d-flex flex-wrap">\n'
            f'<div class="date"><i class="fa fa-calendar"></i> {self.date(story, ctx)}</div>\n'
            f'{views}<div class="news-detail__category"><a href="{escape(tag)}">'
            f"{escape(story.category)}</a></div>\n</div>\n{picture}"
            f'<div class="detail-text" itemprop="articleBody">\n{self.mixed_text(story)}</div>\n'
            f'<div class="share-block"><span>{label(lang, "share")}:</span> {share}</div>\n'
            f'<a class="btn btn-outline-secondary btn-sm" href="{story.list_path}">'
            f"{label(lang, 'back')}</a>\n</article>"
        )

    def mixed_text(self, story: Story) -> str:
        """The first and (from four paragraphs on) last paragraph as bare text with
        ``<br>``, the others in ``<p>``, the way visual-editor text often ends up."""
        blocks = self.body_blocks(story)
        texts = [i for i, (kind, _) in enumerate(blocks) if kind == "p"]
        bare = {texts[0]} | ({texts[-1]} if len(texts) >= 4 else set())
        out = []
        for i, (kind, html) in enumerate(blocks):
            if i in bare:
                out.append(f"{html}<br>\n<br>\n")
            elif kind == "raw":
                out.append(html)
            else:
                out.append(f"<p>{html}</p>\n")
        return "".join(out)
