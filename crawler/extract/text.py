"""HTML → plain text: how a reader sees an element.

:func:`normalize_space` collapses every run of whitespace (including no-break, thin and
narrow spaces) to one space and removes invisible characters (soft hyphen, zero-width
spaces, BOM). :func:`block_text` renders an element the way a reader sees it: block
elements (``p``, ``div``, headings, list items, ``blockquote``, table rows ...) and
``<br>`` end a paragraph, bare text between blocks is a paragraph of its own, inline
elements (``b``, ``a``, ``span`` ...) keep their text inline, and paragraphs are joined
with exactly one blank line. Scripts, styles, ``noscript``, ``iframe``, forms, buttons
and inline SVG are dropped; empty paragraphs never appear. Callers can pass elements to
skip (title, date line, share block...) and an element at which to stop (the ``<div
style="clear:both">`` that ends the default ``news.detail`` text).

Imports lxml and parsel only.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from lxml import etree

#: Invisible characters removed from text (soft hyphen, zero-width spaces/joiners, BOM).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

#: Elements that start and end a paragraph.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
#: Elements whose content is never text of the page.
DROPPED_TAGS: frozenset[str] = frozenset(
    {
        "button",
        "canvas",
        "embed",
        "form",
        "head",
        "iframe",
        "input",
        "link",
        "map",
        "meta",
        "noscript",
        "object",
        "option",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
#: Tags that make :func:`_walk` do more than concatenate text (see :func:`inline_text`).
_BREAKING_TAGS = BLOCK_TAGS | DROPPED_TAGS | _CELL_TAGS | {"br"}


def normalize_space(text: str | None) -> str:
    """Collapse whitespace (incl. no-break spaces) to single spaces and strip."""
    if not text:
        return ""
    if not text.isascii() and _INVISIBLE.search(text):  # searching is cheaper than sub()
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())  # str.split(): all Unicode spaces


def as_element(node: Any) -> etree._Element | None:
    """The lxml element behind a parsel ``Selector``/``SelectorList`` or an element."""
    if isinstance(node, etree._Element):
        return node
    if isinstance(node, list):  # SelectorList
        node = node[0] if node else None
    root = getattr(node, "root", None)
    return root if isinstance(root, etree._Element) else None


class _Paragraphs:
    """Collects inline text and cuts it into paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        if self._buffer:
            text = normalize_space("".join(self._buffer))
            self._buffer.clear()
            if text:
                self.paragraphs.append(text)


def _walk(
    element: etree._Element,
    out: _Paragraphs,
    skip: Collection[etree._Element],
    stop_at: etree._Element | None,
) -> bool:
    """Render the children of ``element`` into ``out``; False once ``stop_at`` is met."""
    for child in element:
        if child is stop_at:
            return False
        tag = child.tag
        if not isinstance(tag, str) or child in skip or tag in DROPPED_TAGS:
            out.add(child.tail)  # comments, skipped and dropped elements keep their tail
            continue
        if tag == "br":
            out.flush()
        elif tag in BLOCK_TAGS:
            out.flush()
            out.add(child.text)
            if len(child) and not _walk(child, out, skip, stop_at):  # len(): leaves need no call
                return False
            out.flush()
        else:
            gap = " " if tag in _CELL_TAGS else ""
            out.add(gap)
            out.add(child.text)
            if len(child) and not _walk(child, out, skip, stop_at):
                return False
            out.add(gap)
        out.add(child.tail)
    return True


def paragraphs(
    node: Any,
    skip: Collection[etree._Element] = (),
    stop_at: etree._Element | None = None,
) -> list[str]:
    """The non-empty paragraphs of ``node`` (see :func:`block_text`)."""
    element = as_element(node)
    if element is None:
        text = normalize_space(node if isinstance(node, str) else None)
        return [text] if text else []
    out = _Paragraphs()
    if element.tag not in DROPPED_TAGS:
        out.add(element.text)
        _walk(element, out, skip, stop_at)
    out.flush()
    return out.paragraphs


def block_text(
    node: Any,
    skip: Collection[etree._Element] = (),
    stop_at: etree._Element | None = None,
) -> str:
    """Plain text of ``node``: paragraphs separated by exactly one blank line.

    ``node`` is a parsel ``Selector``/``SelectorList`` (first element) or an lxml element.
    Elements in ``skip`` are left out (their tail text is kept); rendering ends at
    ``stop_at`` when it is met.
    """
    return "\n\n".join(paragraphs(node, skip, stop_at))


def inline_text(node: Any) -> str:
    """All visible text of ``node`` on one line (scripts, forms etc. dropped)."""
    element = as_element(node)
    if element is not None and not any(d.tag in _BREAKING_TAGS for d in element.iterdescendants()):
        # nothing inside starts a paragraph or is dropped: one run of text (the usual
        # case: a link, a date line, a heading), read by libxml2 instead of :func:`_walk`
        return "" if element.tag in DROPPED_TAGS else normalize_space(text_content(element))
    return " ".join(paragraphs(node))


def text_content(element: etree._Element) -> str:
    """``"".join(element.itertext())``: every text inside ``element``, scripts included,
    its own tail excluded (built by libxml2, several times faster than ``itertext``)."""
    if not len(element):
        return element.text or ""
    return etree.tostring(element, method="text", encoding=str, with_tail=False)
