"""The article's title.

Candidates in order: ``<h1>`` outside page furniture (not a logo or the site name),
``[itemprop=headline]``, elements with ``title``/``headline``/``heading`` in their class
near the body (a styled ``<span>`` in a title block), ``<h2>``/``<h3>`` in the body block
(the default template's ``<h3>``). When ``og:title`` or the ``<title>`` (site name
removed) is available, the first candidate matching it wins, so a section name in
``<h1>`` loses to the article title in a title block; else the first candidate; else
``og:title``; else the ``<title>`` without the site name (``Title | Site``, ``Title -
Site``; ``Site - Title`` when the site name is known from ``og:site_name`` or the logo).
A candidate or reference that reads like a link to a list above the article ("Новости"
where a menu or breadcrumb links ``/ru/news/`` so) is the section's name, not the title:
such candidates come last and such references do not count.

Imports lxml, :mod:`crawler.extract` (document, regions, text, overrides) and
:mod:`.common`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from crawler.extract.article.body import Body
from crawler.extract.article.common import (
    Found,
    is_furniture,
    is_title_class,
    key,
    link_density,
    links_into,
    list_urls_above,
    marked_elements,
    override_text,
    position,
    similar,
    title_key,
)
from crawler.extract.document import ParsedPage
from crawler.extract.overrides import Selectors
from crawler.extract.regions import BOILERPLATE, CHROME
from crawler.extract.text import inline_text, normalize_space, text_content

#: "Title | Site", "Title - Site" (the lookahead, a first character every separator has,
#: changes no match and spares the engine the other positions).
_TITLE_SEPARATOR = re.compile(r"(?=[\s|:])(?:\s*(?:\||::)\s*|\s+[-–—/·•»]\s+)")


def find_title(page: ParsedPage, selectors: Selectors, body: Body | None) -> Found | None:
    """The title (see the module docstring)."""
    overridden = override_text(page, selectors.title)
    if overridden:
        return overridden
    site_names = _site_names(page)
    og_title = page.meta("og:title", "twitter:title")
    page_title = strip_site_name(page.title_tag(), site_names)
    stripped_og = strip_site_name(og_title, site_names) if og_title else None
    candidates = [c for c in _candidates(page, body, site_names) if c.text]
    references = [ref for ref in (og_title, stripped_og, page_title) if ref]
    sections = _section_names(
        page, {key(text) for text in (*references, *(c.text for c in candidates))}
    )
    references = [ref for ref in references if key(ref) not in sections]
    # "Новости" in <h1> over every article: the section's name, not the title
    candidates.sort(key=lambda c: key(c.text) in sections)  # stable
    for candidate in candidates:
        if any(similar(candidate.text, reference) for reference in references):
            return candidate
    if candidates:
        return candidates[0]
    for reference in references:
        return Found(reference)
    return None


def _section_names(page: ParsedPage, texts: set[str]) -> set[str]:
    """Those of ``texts`` that name a list above the article: a link to ``/ru/news/``
    reads "Новости" (the test on the link text comes first: it is the cheap one)."""
    lists = list_urls_above(page.url)
    found = set()
    for anchor in page.anchors:
        text = key(text_content(anchor))
        if text not in texts or text in found:
            continue
        href = anchor.get("href")
        if href and links_into(page.join_base(href), href, lists):
            found.add(text)
    return found


def _site_names(page: ParsedPage) -> list[str]:
    names = [page.meta("og:site_name")]
    for element in marked_elements(page, "logo"):
        if is_furniture(page, element, CHROME):
            names.append(inline_text(element))
            names.extend(img.get("alt") for img in element.iter("img"))
            break
    return [normalize_space(name) for name in names if name and normalize_space(name)]


def _candidates(page: ParsedPage, body: Body | None, site_names: list[str]) -> Iterator[Found]:
    site = {name.casefold() for name in site_names}
    for h1 in page.root.iter("h1"):
        text = inline_text(h1)
        if not is_furniture(page, h1) and text and text.casefold() not in site:
            yield Found(text, h1)
    for element in page.itemprops.get("headline", []):
        if not is_furniture(page, element):
            yield Found(inline_text(element), element)
    yield from _title_blocks(page, body)


def _title_blocks(page: ParsedPage, body: Body | None) -> Iterator[Found]:
    """Title-classed elements and ``h2``/``h3`` near the body, nearest first."""
    if body is None:
        return
    block = body.elements[0]
    area = block
    for _level in range(3):
        if area.getparent() is not None:
            area = area.getparent()
    titled = [element for element, classes in page.classes_within(area) if is_title_class(classes)]
    found = []
    for element in sorted({*titled, *block.iter("h2", "h3")}, key=lambda e: position(page, e)):
        if (
            is_furniture(page, element, BOILERPLATE)
            or _inside_link(element)
            or _has_block_children(element)
        ):
            continue
        text = inline_text(element)
        if 5 <= len(text) <= 300 and link_density(element) <= 0.5:
            found.append(Found(text, element))
    start = position(page, block)
    yield from sorted(found, key=lambda f: abs(position(page, f.element) - start))


def strip_site_name(title: str, site_names: list[str]) -> str:
    """``Title | Site`` → ``Title``; ``Site - Title`` → ``Title`` when the site is known."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not title or not separators:
        return title
    first, last = separators[0], separators[-1]
    head, tail = title[: first.start()].strip(), title[last.end() :].strip()
    keys = {title_key(name) for name in site_names}
    if title_key(head) in keys:
        return title[first.end() :].strip()
    return title[: last.start()].strip() or tail


def _inside_link(element: etree._Element) -> bool:
    return element.tag == "a" or next(element.iterancestors("a"), None) is not None


def _has_block_children(element: etree._Element) -> bool:
    return any(child.tag in ("p", "div", "ul", "ol", "table", "section") for child in element)
