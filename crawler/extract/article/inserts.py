"""Blocks inside the article's text block that are not text.

Templates and editors put into the text container, or right after the text, blocks that
are not the article's text; none of them may reach ``body``:

* a paragraph that is (almost) all link text, wherever it sits: an order-a-call or
  ask-a-question line, a subscribe link, links to the previous and next articles (at
  most a tenth of the paragraph is left once its link texts and separators go);
* a paragraph that repeats the title of another article the page links to (a "related
  news" card, a previous/next link) or that the list page showed beside this one;
* a gallery or "related news" heading
  (:data:`~crawler.extract.vocabulary.BLOCK_HEADINGS`, in Russian, Kazakh and English)
  and what follows it in its block up to the next substantial paragraph (150+
  characters, at most half link text): the pictures, captions, titles and teasers.

Imports lxml, :mod:`crawler.extract` (document, text, vocabulary) and :mod:`.common`.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.article.common import (
    HEADINGS,
    TEASER_TITLE,
    link_density,
    text_length,
    title_key,
)
from crawler.extract.document import ParsedPage
from crawler.extract.text import inline_text, normalize_space, text_content
from crawler.extract.vocabulary import BLOCK_HEADINGS, alternation

_BLOCK_HEADING = re.compile(alternation(BLOCK_HEADINGS), re.IGNORECASE)
#: Elements that may be a block's heading: headings, and short labels.
HEADING_LIKE = frozenset({*HEADINGS, "div", "p", "span", "strong", "b"})
#: Link texts longer than this are not titles.
_TITLE_MAX = 300
#: How a sentence ends (a title does not).
_SENTENCE_END = frozenset(".!?…;:")
#: What is left of a paragraph of links once the link texts go: separators, punctuation.
_NOT_WORDS = re.compile(r"[\W_]+")


def drop_link_paragraphs(
    page: ParsedPage, root: etree._Element, kept: list[str], other_titles: tuple[str, ...] = ()
) -> list[str]:
    """Paragraphs that are (almost) all link text — a call-to-action, a subscribe line,
    links to the previous and next articles — and paragraphs that repeat the title of
    another article linked from the page (a "related news" card pasted as text)."""
    inside = {text for a in root.iter("a") if (text := inline_text(a))}
    out = []
    for paragraph in kept:
        if inside and _is_link_text(paragraph, inside):
            continue
        if _may_be_a_title(paragraph) and (
            title_key(paragraph) in _linked_titles(page)
            or title_key(paragraph) in {title_key(t) for t in other_titles}
        ):
            continue
        out.append(paragraph)
    return out


def _may_be_a_title(paragraph: str) -> bool:
    """Short, and not ending like a sentence (titles carry no full stop): only such
    paragraphs are compared with the page's linked titles."""
    return TEASER_TITLE <= len(paragraph) <= _TITLE_MAX and paragraph[-1] not in _SENTENCE_END


def _is_link_text(paragraph: str, links: set[str]) -> bool:
    """At most a tenth of ``paragraph`` is left once its link texts and separators go."""
    rest = paragraph
    for text in sorted(links, key=len, reverse=True):
        if text in rest:
            rest = rest.replace(text, " ")
    if rest == paragraph:
        return False
    return len(_NOT_WORDS.sub("", rest)) <= 0.1 * len(paragraph)


def _linked_titles(page: ParsedPage) -> frozenset[str]:
    """Title keys of the page's links that show a title (15+ characters): the other
    articles it links to (computed once per page)."""
    if "linked_titles" not in page.memo:
        found = set()
        for anchor in page.anchors:
            text = normalize_space(text_content(anchor))
            if TEASER_TITLE <= len(text) <= _TITLE_MAX:
                found.add(title_key(text))
        page.memo["linked_titles"] = frozenset(found)
    return page.memo["linked_titles"]


def opens_other_block(element: etree._Element) -> bool:
    """A gallery or "related news" heading (:data:`BLOCK_HEADINGS`)."""
    if element.tag not in HEADING_LIKE:
        return False
    if element.tag not in HEADINGS and (len(element) > 2 or text_length(element) > 40):
        return False
    text = inline_text(element).rstrip(" :.")
    return bool(text) and len(text) <= 40 and bool(_BLOCK_HEADING.fullmatch(text))


def block_after(heading: etree._Element) -> list[etree._Element]:
    """The heading and what follows it in its block up to the next substantial text
    (a paragraph of 150+ characters that is not mostly links)."""
    found = [heading]
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if text_length(sibling) >= 150 and link_density(sibling) < 0.5:
            break
        found.append(sibling)
    return found
