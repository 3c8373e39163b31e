"""Site profiles: start URLs and the one place for site-specific selectors.

Extraction is generic (see :mod:`crawler.list_page` and :mod:`crawler.article_page`);
a profile only names where a site's lists start and, when the generic logic gets a site
wrong, overrides single fields with a CSS or XPath selector. An override is used when it
is set *and* matches something non-empty on the page; otherwise the generic logic runs,
so a stale selector degrades to the default behaviour instead of to empty records.

Selector strings starting with ``/``, ``./`` or ``(`` are XPath, anything else is CSS
(parsel's ``::text`` / ``::attr(name)`` pseudo-elements work).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

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


@dataclass(frozen=True)
class SiteProfile:
    """A site to crawl: a name, the news list URLs to start from, selector overrides."""

    name: str
    start_urls: tuple[str, ...]
    selectors: Selectors = field(default_factory=Selectors)

    @property
    def hosts(self) -> frozenset[str]:
        """Host names of the start URLs, without ``www.``."""
        return frozenset(_host(url) for url in self.start_urls)


#: assembly.kz (Assembly of People of Kazakhstan). UNCONFIRMED start URLs: known article
#: URLs are ``/ru/analitika/<slug>/`` and ``/news/<slug>/`` (English), so the English
#: list may live at ``/news/`` rather than ``/en/news/``. Check with the ``inspect``
#: command and adjust here; no selector overrides are needed so far.
ASSEMBLY_KZ = SiteProfile(
    name="assembly.kz",
    start_urls=(
        "https://assembly.kz/ru/news/",
        "https://assembly.kz/kz/news/",
        "https://assembly.kz/en/news/",
    ),
)

_ALL: tuple[SiteProfile, ...] = (ASSEMBLY_KZ,)

#: All known profiles by name; each is also listed with ``_`` for ``.`` (``assembly_kz``),
#: a form that is easy to pass as a setting or CLI value.
PROFILES: dict[str, SiteProfile] = {
    key: profile for profile in _ALL for key in (profile.name, profile.name.replace(".", "_"))
}


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower().split(":")[0].removeprefix("www.")


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile whose start URLs share ``url``'s host, if any."""
    host = _host(url)
    for profile in _ALL:
        if host in profile.hosts:
            return profile
    return None


def selectors_for_url(url: str) -> Selectors:
    """The selector overrides for ``url``'s site (empty when the site has no profile)."""
    profile = profile_for_url(url)
    return profile.selectors if profile else Selectors()


def is_xpath(query: str) -> bool:
    """True when ``query`` is written as XPath rather than CSS."""
    return query.lstrip().startswith(("/", "./", "("))


def select(selector: Selector, query: str | None) -> SelectorList:
    """Run an override ``query`` (CSS or XPath) against ``selector``; empty when unset."""
    if not query or not query.strip():
        return SelectorList([])
    query = query.strip()
    return selector.xpath(query) if is_xpath(query) else selector.css(query)
