"""Site-specific selectors: the override a site may set for any field.

Extraction is generic; when it gets a site wrong, its ``[site.selectors]`` in the sites
file (read by :mod:`crawler.site_profiles`, the one place where sites are described) overrides
single fields with a CSS or XPath selector. An override is used when it is set *and*
matches something non-empty on the page; otherwise the generic rule runs, so a stale
selector degrades to the default behaviour instead of to empty records. Overrides count
when a page is classified too: with a title and body override, a page the generic rules
call "other" is read as an article.

Selector strings starting with ``/``, ``./`` or ``(`` are XPath, anything else is CSS
(parsel's ``::text`` / ``::attr(name)`` pseudo-elements work).

Imports parsel only.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsel import Selector, SelectorList


@dataclass(frozen=True)
class Selectors:
    """Optional per-site selectors; ``None`` means "use the generic logic"."""

    #: Links (``<a>`` elements or ``href`` strings) to articles on a list page.
    article_links: str | None = None
    #: The "next page" link on a list page.
    next_page: str | None = None
    #: Article title element.
    title: str | None = None
    #: Element holding the publication date.
    date: str | None = None
    #: Element holding the view counter.
    views: str | None = None
    #: Element(s) holding the article text.
    body: str | None = None
    #: Category / rubric element.
    category: str | None = None
    #: Article images (``<img>`` elements or URL strings).
    images: str | None = None


#: No override at all: every field by the generic rules.
GENERIC = Selectors()


def is_xpath(query: str) -> bool:
    """True when ``query`` is written as XPath rather than CSS."""
    return query.lstrip().startswith(("/", "./", "("))


def select(selector: Selector, query: str | None) -> SelectorList:
    """Run an override ``query`` (CSS or XPath) against ``selector``; empty when unset."""
    if not query or not query.strip():
        return SelectorList([])
    query = query.strip()
    return selector.xpath(query) if is_xpath(query) else selector.css(query)
