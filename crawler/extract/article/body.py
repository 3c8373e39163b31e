"""The article's text: where it is on the page, and what inside it is not text.

Found first, it anchors every other field. ``[itemprop=articleBody]``; else the default
``news.detail`` block ``div.news-detail``, read up to its last ``<div
style="clear:both">`` (after it the template prints property lines such as "Количество
просмотров: 409" and the share block); else the block with the most paragraph text:
every ``<p>``/``<blockquote>``/``<pre>``/``<li>`` of 20+ characters adds its length to
its parent and half to its grandparent (a ``<div>`` holding a single run of text counts
as a paragraph), and bare text between ``<br>``s adds to its own element. Among the 20
best blocks, the first that is neither mostly link text nor a *teaser list* wins; a
teaser list (3+ links with title-length text to different pages, 25%+ link text: "more
news" cards, the items of a list page) and everything inside it are passed over, and a
winner holding one is read without it; a block that is a teaser list only because the
text holds one ("Читайте также" and three titles after it: 200+ characters of its own
besides) is the text, read without the list. A block just before the winner with 40+
characters of text, no links and no headings (a lead) is merged in.

Inside the body, furniture, the title, headings repeating the title, ``<h1>``, the date
/ counter / category lines, tag and property lists and the back link
(:data:`~crawler.extract.vocabulary.BACK_LINKS`) are left out, and leading or trailing
paragraphs that hold only those values or their labels are dropped. Blocks that are
not text go wherever they sit: a paragraph that is (almost) all link text (an
order-a-call or subscribe line, previous/next links), a paragraph repeating the title
of another article the page links to, and a gallery or "related news" heading
(:data:`~crawler.extract.vocabulary.BLOCK_HEADINGS`) with what follows it up to the
next substantial paragraph. Links to other articles pasted into the text go too: a
short paragraph opening with a "read also" label
(:data:`~crawler.extract.vocabulary.READ_ALSO_LABELS`; looser labels such as "По теме"
only alone or before a colon), and a label standing alone with only short lines (the
linked titles) after it ends the text. Paragraphs are separated by one blank line
(:func:`crawler.extract.text.block_text`).

Imports lxml, :mod:`crawler.extract` (document, regions, text, vocabulary),
:mod:`.common` and :mod:`.inserts` (blocks inside the text that are not text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.extract.article.common import (
    HEADINGS,
    META_LINE,
    SEPARATORS,
    Found,
    is_furniture,
    is_teaser_list,
    is_title_class,
    link_density,
    links_into,
    list_urls_above,
    meta_line,
    override_elements,
    own_text_length,
    text_length,
)
from crawler.extract.article.inserts import (
    HEADING_LIKE,
    block_after,
    drop_link_paragraphs,
    opens_other_block,
)
from crawler.extract.document import ParsedPage, is_inside
from crawler.extract.overrides import Selectors
from crawler.extract.regions import BOILERPLATE
from crawler.extract.text import BLOCK_TAGS, block_text, inline_text, paragraphs
from crawler.extract.vocabulary import (
    BACK_LINKS,
    META_LABELS,
    READ_ALSO_LABELS,
    READ_ALSO_LOOSE_LABELS,
    VIEW_LABELS,
    alternation,
)

_PARAGRAPH_TAGS = frozenset({"p", "blockquote", "pre", "li"})
_CONTAINER_TAGS = frozenset({"div", "td", "section", "article", "main", "font", "center", "dd"})
_BLOCK_OR_BREAK = BLOCK_TAGS | {"br"}
_MIN_PARAGRAPH = 20
_LEAD_MIN = 40
_CLEAR = re.compile(r"clear\s*:\s*both", re.IGNORECASE)
BACK_LINK = re.compile(rf"^[←«<\s]*(?:{alternation(BACK_LINKS)})[\s→»>]*$", re.IGNORECASE)
_META_LABELS = re.compile(f"{alternation(VIEW_LABELS)}|{alternation(META_LABELS)}", re.IGNORECASE)
#: Labels of links to other articles: unambiguous ones open a line; loose ones only
#: alone or before a colon.
_READ_ALSO = re.compile(
    rf"(?:{alternation(READ_ALSO_LABELS)})"
    rf"|(?:{alternation(READ_ALSO_LOOSE_LABELS)})\s*(?:[:—–]|$)",
    re.IGNORECASE,
)
_READ_ALSO_LINE = 200
_READ_ALSO_ITEMS = 8
#: Blocks that may hold a list of teasers inside the text.
_LIST_BLOCKS = ("ul", "ol", "div", "section", "aside", "nav", "table")
_TEXT_AROUND = 200


@dataclass
class Body:
    """The element(s) holding the article text and how to read them."""

    elements: list[etree._Element]
    stop_at: etree._Element | None = None
    skip: set[etree._Element] = field(default_factory=set)
    #: Taken from a site's selector: read as is, no clean-up.
    overridden: bool = False


# ---------------------------------------------------------------------- finding it


def find_body(page: ParsedPage, selectors: Selectors) -> Body | None:
    """The block holding the article text (see the module docstring)."""
    overridden = override_elements(page, selectors.body)
    if overridden and any(inline_text(element) for element in overridden):
        return Body(overridden, overridden=True)
    for element in page.itemprops.get("articleBody", []):
        if not is_furniture(page, element):
            return Body([element])
    for element, classes in page.classes_within():
        if (
            "news-detail" in classes  # cheap test first
            and "news-detail" in classes.split()
            and not is_furniture(page, element)
        ):
            return Body([element], stop_at=_last_clear_div(element))
    return _densest_block(page)


def _densest_block(page: ParsedPage) -> Body | None:
    scores: dict[etree._Element, float] = {}
    flags = page.flags
    for element in page.root.iter(etree.Element):
        if flags.get(element, 0) & BOILERPLATE:
            continue
        parent = element.getparent()
        if parent is None or parent.tag in _PARAGRAPH_TAGS:
            continue
        if element.tag in _PARAGRAPH_TAGS:
            length = text_length(element)
            is_paragraph = True
        elif element.tag in _CONTAINER_TAGS:
            length = own_text_length(element)
            is_paragraph = not any(child.tag in _BLOCK_OR_BREAK for child in element)
        else:
            continue
        if length < _MIN_PARAGRAPH:
            continue
        if is_paragraph:  # <p>, or a <div> holding one run of text: scores its parent
            _add(scores, parent, length)
            _add(scores, parent.getparent(), length / 2)
        else:  # bare text between <br>s or blocks: the element itself is the text block
            _add(scores, element, length)
            _add(scores, parent, length / 2)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:20]
    teasers: list[etree._Element] = []
    for element in ranked:
        if any(is_inside(element, teaser) for teaser in teasers):
            continue
        if is_teaser_list(element, teasers):
            inner = _teasers_within(element)
            if not _text_around(element, inner):
                teasers.append(element)
                continue
            teasers.extend(inner)  # the text, holding a "read also" list: read without it
        if link_density(element, teasers) <= 0.5:
            body = _with_lead(page, element)
            body.skip.update(t for t in teasers if is_inside(t, body.elements[0]))
            return body
    return Body([ranked[0]]) if ranked else None


def _teasers_within(element: etree._Element) -> list[etree._Element]:
    """The outermost teaser lists inside ``element`` (a "read also" list in the text)."""
    found: list[etree._Element] = []
    for inner in element.iterdescendants(*_LIST_BLOCKS):
        if not any(is_inside(inner, known) for known in found) and is_teaser_list(inner, []):
            found.append(inner)
    return found


def _text_around(element: etree._Element, inner: list[etree._Element]) -> bool:
    """``element`` holds text of its own besides the teaser lists ``inner``: 200+
    characters, at most half of them link text."""
    if not inner:
        return False
    rest = text_length(element) - sum(text_length(block) for block in inner)
    return rest >= _TEXT_AROUND and link_density(element, inner) <= 0.5


def _with_lead(page: ParsedPage, best: etree._Element) -> Body:
    """Merge a lead block just before ``best``: 40+ characters, no links, no headings."""
    parent = best.getparent()
    previous = best.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    if (
        parent is None
        or previous is None
        or previous.tag not in _CONTAINER_TAGS | _PARAGRAPH_TAGS
        or is_furniture(page, previous, BOILERPLATE)
        or is_title_class(previous.get("class", ""))
        or next(previous.iter("a", *HEADINGS), None) is not None
        or text_length(previous) < _LEAD_MIN
    ):
        return Body([best])
    keep = {best, previous}
    return Body([parent], skip={child for child in parent if child not in keep})


def teaser_blocks(body: Body | None, scope: etree._Element) -> list[etree._Element]:
    """Teaser lists beside the body: siblings of the body and of its ancestors in scope."""
    found = [t for t in body.skip if is_teaser_list(t, [])] if body else []
    if body is None or body.overridden:
        return found
    node = body.elements[0]
    while node is not None and node is not scope:
        parent = node.getparent()
        for sibling in parent if parent is not None else ():
            if sibling is node or not isinstance(sibling.tag, str) or sibling in found:
                continue
            if is_teaser_list(sibling, found):
                found.append(sibling)
        node = parent
    return found


# ---------------------------------------------------------------------- reading it


def body_text(
    page: ParsedPage,
    body: Body | None,
    teasers: list[etree._Element],
    fields: list[Found | None],
    other_titles: tuple[str, ...] = (),
) -> str:
    """The article text: ``body`` read without what is not text. ``fields`` are the
    title, date, counter and category found (their lines are left out);
    ``other_titles`` those of other articles, known from the list page."""
    if body is None:
        return ""
    if body.overridden:
        texts = [block_text(element) for element in body.elements]
        return "\n\n".join(text for text in texts if text)
    root = body.elements[0]
    skip = set(body.skip) | _body_skips(page, root, teasers, fields)
    kept = drop_link_paragraphs(page, root, paragraphs(root, skip, body.stop_at), other_titles)
    values = [found.text for found in fields if found]
    return "\n\n".join(_drop_read_also(_trim_meta_paragraphs(kept, values)))


def _body_skips(
    page: ParsedPage,
    root: etree._Element,
    teasers: list[etree._Element],
    fields: list[Found | None],
) -> set[etree._Element]:
    """Elements inside the body block that are not article text."""
    flags = page.flags
    base = flags.get(root, 0)
    title = fields[0]
    title_text = title.text.casefold() if title else None
    skip: set[etree._Element] = {t for t in teasers if is_inside(t, root)}
    lists = list_urls_above(page.url)
    for element in root.iter(etree.Element):
        if flags.get(element, 0) & ~base & BOILERPLATE or element.tag == "h1":
            skip.add(element)
        elif element.tag in HEADING_LIKE and opens_other_block(element):
            skip.update(block_after(element))
        elif (
            element.tag in HEADINGS and title_text and inline_text(element).casefold() == title_text
        ):
            skip.add(element)
        elif element.tag == "a" and is_back_link(element, lists, page):
            skip.add(meta_line(element, root))
    for found in fields:
        if found and found.element is not None and is_inside(found.element, root):
            line = meta_line(found.element, root)
            if line is not root and text_length(line) <= META_LINE:
                skip.add(line)
    return skip


def _trim_meta_paragraphs(kept: list[str], values: list[str]) -> list[str]:
    while kept and _is_meta_only(kept[0], values):
        kept = kept[1:]
    while kept and _is_meta_only(kept[-1], values):
        kept = kept[:-1]
    return kept


def is_back_link(anchor: etree._Element, lists: frozenset[str], page: ParsedPage) -> bool:
    """ "Возврат к списку" and friends, or a short link up to the article's list."""
    text = inline_text(anchor)
    if BACK_LINK.match(text):
        return True
    if len(text) > 40:
        return False
    href = anchor.get("href")
    return bool(href) and links_into(page.join_base(href), href, lists)


def _is_meta_only(paragraph: str, values: list[str]) -> bool:
    """A paragraph holding only field values (date, counter...) and their labels."""
    if len(paragraph) > 160:
        return False
    rest = paragraph
    for value in sorted(values, key=len, reverse=True):
        rest = rest.replace(value, " ")
    rest = _META_LABELS.sub(" ", rest)
    if BACK_LINK.match(rest.strip()):
        return True
    return not SEPARATORS.sub("", rest)


def _drop_read_also(kept: list[str]) -> list[str]:
    """Drop "Читайте также: <title>" lines, and a trailing "read also" block of titles.

    Editors paste links to other articles into the text: a short paragraph starting with
    the label is such a link wherever it is; a label alone ends the text when only short
    lines (the linked titles) follow it.
    """
    out: list[str] = []
    for index, paragraph in enumerate(kept):
        if len(paragraph) <= _READ_ALSO_LINE and _READ_ALSO.match(paragraph):
            rest = kept[index + 1 :]
            if (
                _READ_ALSO.fullmatch(paragraph.rstrip(" :.-—"))
                and all(len(line) <= _READ_ALSO_LINE for line in rest[: _READ_ALSO_ITEMS + 1])
                and len(rest) <= _READ_ALSO_ITEMS
            ):
                break
            continue
        out.append(paragraph)
    return out


def _last_clear_div(element: etree._Element) -> etree._Element | None:
    """The last direct ``<div style="clear:both">`` child: the end of the detail text."""
    clear = None
    for child in element:
        if child.tag == "div" and _CLEAR.search(child.get("style", "")):
            clear = child
    return clear


def _add(scores: dict[etree._Element, float], element: etree._Element | None, value: float) -> None:
    if element is not None:
        scores[element] = scores.get(element, 0.0) + value
