"""Two markup families modelled on templates the crawler had not seen (issue 11).

* ``reverse`` - the stock ``.default`` templates with ``bDescPageNumbering``: the bare
  list URL is the newest page and carries the highest number, "След." leads to a
  *smaller* number, ``?PAGEN_1=1`` is the oldest page; as the stock pager prints it,
  the links' numbers fall while their labels rise (``?PAGEN_1=1`` of 3 reads "3").
* ``listdated`` - a ``flat``-style list that prints the date, the counter and the rubric
  beside each link, while the article page shows none of them (title, picture, text, a
  call-to-action made only of links inside the text block, links to the previous and
  next articles, a back link). The theme's ``<html lang="en">`` is left on every
  language version: the language must come from the URL and the text.

Imports :mod:`.chrome`, :mod:`.content`, :mod:`.templates`, :mod:`.words`.
"""

from __future__ import annotations

from html import escape

from .content import Story, section_path, slugify
from .templates import Ctx, CustomFamily, DefaultFamily, Page, Pager, thumb, views_html
from .words import LANG_PATH, label

#: Link-only blocks that the ``listdated`` template prints inside the text block.
CALL_TO_ACTION = {
    "ru": ("Задать вопрос", "Заказать звонок", "Подписаться на новости"),
    "kk": ("Сұрақ қою", "Қоңырауға тапсырыс беру", "Жаңалықтарға жазылу"),
    "en": ("Ask a question", "Request a call", "Subscribe to news"),
}


class ReverseFamily(DefaultFamily):
    """The stock templates, numbered backwards (``bDescPageNumbering``)."""

    name = "reverse"

    def page_number(self, query: dict[str, list[str]]) -> int:
        """The requested ``PAGEN_1``; 0 for the bare URL (the newest page)."""
        value = query.get("PAGEN_1", [""])[0]
        return int(value) if value.isdigit() and int(value) > 0 else 0

    def position(self, requested: int, pages: int) -> int:
        """Page number ``pages`` (and the bare URL) shows the newest items, 1 the oldest."""
        return 1 if requested == 0 else pages - min(requested, pages) + 1

    def number_href(self, path: str, number: int, pages: int) -> str:
        return path if number == pages else f"{path}?PAGEN_1={number}"

    def pager(self, lang: str, pager: Pager) -> str:
        """As the stock ``system.pagenavigation/.default`` prints it: the links' numbers
        fall, their labels rise (``?PAGEN_1=<n>`` reads ``pages - n + 1``)."""
        last, path = pager.pages, pager.path
        current = last - pager.page + 1  # the page's number
        words = {k: label(lang, k) for k in ("first", "nav_prev", "nav_next", "last")}
        first_item = (pager.page - 1) * pager.per_page + 1
        shown = min(pager.page * pager.per_page, pager.total)
        parts = []
        if current < last:
            parts.append(f'<a href="{path}">{words["first"]}</a>')
            prev = self.number_href(path, current + 1, last)
            parts.append(f'<a href="{prev}">{words["nav_prev"]}</a>')
        else:
            parts += [words["first"], words["nav_prev"]]
        numbers = [
            f"<b>{last - n + 1}</b>"
            if n == current
            else f'<a href="{self.number_href(path, n, last)}">{last - n + 1}</a>'
            for n in range(min(last, current + 2), max(1, current - 2) - 1, -1)
        ]
        parts.append("&nbsp;".join(numbers))
        if current > 1:
            parts.append(f'<a href="{path}?PAGEN_1={current - 1}">{words["nav_next"]}</a>')
            parts.append(f'<a href="{path}?PAGEN_1=1">{words["last"]}</a>')
        else:
            parts += [words["nav_next"], words["last"]]
        return (
            f'<font class="text">{first_item} - {shown} {label(lang, "of")} {pager.total}'
            "<br />\n" + "&nbsp;|&nbsp;".join(parts) + "\n</font>\n"
        )


class ListDatedFamily(CustomFamily):
    """Dates, counters and rubrics on the list only; a theme-default ``<html lang>``."""

    name = "listdated"
    template = "flat"
    date_style = "default"
    dates_on_article = False

    def views_prefix(self, lang: str) -> str:
        return label(lang, "views") + ":"

    def document(self, ctx: Ctx, page: Page) -> str:
        html = super().document(ctx, page)
        return html.replace(f'<html lang="{ctx.lang}">', '<html lang="en">', 1)

    def og(self, ctx: Ctx, story: Story | None) -> str:
        return ""

    def list_main(self, ctx: Ctx, items: list[tuple[Story, str]], pager: str) -> str:
        cards = "".join(self.item(ctx, story, href) for story, href in items)
        return f'<div class="news-list-flat">\n{cards}</div>\n{pager}'

    def item(self, ctx: Ctx, story: Story, href: str) -> str:
        lang = ctx.lang
        picture = (
            f'<a class="news-list-flat__image" href="{href}"><img src="'
            f'{thumb(story.detail_image, "300_200_2")}" alt="{escape(story.title)}"></a>\n'
            if story.detail_image
            else ""
        )
        views = (
            f'<span class="news-list-flat__views">{label(lang, "views")}: '
            f"{views_html(story.views)}</span>\n"
            if story.views is not None
            else ""
        )
        rubric = f"{section_path(lang, 'news')}?tag={slugify(story.category)}"
        return (
            f'<div class="news-list-flat__item" id="bx_2970353375_{story.id}">\n{picture}'
            f'<div class="news-list-flat__info">\n'
            f'<span class="news-list-flat__date">{self.date(story, ctx)}</span>\n{views}'
            f'<a class="news-list-flat__section" href="{escape(rubric)}">'
            f"{escape(story.category)}</a>\n</div>\n"
            f'<a class="news-list-flat__title" href="{href}">{escape(story.title)}</a>\n'
            f'<div class="news-list-flat__text">{escape(story.preview)}</div>\n</div>\n'
        )

    def page_href(self, path: str, n: int) -> str:
        return path if n == 1 else f"{path}?PAGEN_1={n}"

    def pager(self, lang: str, pager: Pager) -> str:
        n, last, path = pager.page, pager.pages, pager.path

        def item(cls: str, text: str, target: int | None) -> str:
            if target is None or (target == n and cls):
                return f'<li class="{cls}"><span>{text}</span></li>'
            if target == n:
                return f'<li class="bx-active"><span>{text}</span></li>'
            href = self.page_href(path, target)
            return f'<li class="{cls}"><a href="{href}"><span>{text}</span></a></li>'

        items = [item("bx-pag-prev", label(lang, "back_arrow"), n - 1 if n > 1 else None)]
        items += [item("", str(i), i) for i in range(max(1, n - 2), min(last, n + 2) + 1)]
        items.append(item("bx-pag-next", label(lang, "forward"), n + 1 if n < last else None))
        return (
            '<div class="bx-pagination bx-round">\n<div class="bx-pagination-container">\n<ul>\n'
            + "\n".join(items)
            + "\n</ul>\n</div>\n</div>\n"
        )

    def detail(self, ctx: Ctx, story: Story) -> str:
        lang = ctx.lang
        picture = (
            f'<div class="news-detail-flat__image">{self.image(story.detail_image, story.title)}'
            "</div>\n"
            if story.detail_image
            else ""
        )
        text = "".join(
            html if kind == "raw" else f"<p>{html}</p>\n" for kind, html in self.body_blocks(story)
        )
        about = f"/{LANG_PATH[lang]}/about/"
        actions = " | ".join(
            f'<a href="{about}#{i}">{escape(text)}</a>'
            for i, text in enumerate(CALL_TO_ACTION[lang])
        )
        neighbours = [s for s in ctx.snap.articles(lang) if s.id != story.id][:2]
        nav = "".join(
            f'<a class="news-detail-flat__{side}" href="{escape(s.path)}">{escape(s.title)}</a>\n'
            for side, s in zip(("prev", "next"), neighbours, strict=False)
        )
        return (
            '<div class="news-detail-flat">\n'
            f'<h1 class="news-detail-flat__title">{escape(story.title)}</h1>\n{picture}'
            f'<div class="news-detail-flat__text">\n{text}<p>{actions}</p>\n</div>\n'
            f'<div class="news-detail-flat__nav">{nav}</div>\n'
            f'<a class="news-detail-flat__back" href="{story.list_path}">'
            f"{label(lang, 'back')}</a>\n"
            "</div>"
        )
