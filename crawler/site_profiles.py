"""Site profiles: start URLs and the one place for site-specific selectors.

Extraction is generic (:mod:`crawler.extract`); a profile only names where a site's
lists start and, when the generic logic gets a site wrong, overrides single fields with
a CSS or XPath selector (:class:`crawler.extract.overrides.Selectors`: when each is used,
and how classification counts it). Imports :mod:`crawler.extract.overrides` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.extract.overrides import GENERIC, Selectors


@dataclass(frozen=True)
class SiteProfile:
    """A site to crawl: a name, the news list URLs to start from, selector overrides,
    and the site's time zone (its "Сегодня"/"Вчера" are days on that clock)."""

    name: str
    start_urls: tuple[str, ...]
    selectors: Selectors = field(default_factory=Selectors)
    time_zone: str = ""  # IANA name; "" = unknown (this machine's clock)

    @property
    def hosts(self) -> frozenset[str]:
        """Host names of the start URLs, without ``www.``."""
        return frozenset(_host(url) for url in self.start_urls)


#: assembly.kz (Assembly of People of Kazakhstan). Public copies confirm article URLs
#: only: English ``/en/news/<slug>/`` and ``/news/<slug>/`` (both inside the
#: ``/en/news/`` section, see :class:`crawler.extract.urls.Section`), Russian
#: ``/ru/analitika/<slug>/``. The ``/ru/news/`` and ``/kz/news/`` lists are UNCONFIRMED:
#: check with the ``inspect`` command and adjust here; no selector overrides are needed
#: so far.
ASSEMBLY_KZ = SiteProfile(
    name="assembly.kz",
    start_urls=(
        "https://assembly.kz/ru/news/",
        "https://assembly.kz/kz/news/",
        "https://assembly.kz/en/news/",
    ),
    # Kazakhstan keeps one zone since March 2024: UTC+5 (tzdata's Asia/Almaty).
    time_zone="Asia/Almaty",
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


def time_zone_for_url(url: str) -> str:
    """The time zone of ``url``'s site: its profile's, else "" (unknown)."""
    profile = profile_for_url(url)
    return profile.time_zone if profile else ""


def selectors_for_url(url: str) -> Selectors:
    """The selector overrides for ``url``'s site (empty when the site has no profile)."""
    profile = profile_for_url(url)
    return profile.selectors if profile else GENERIC
