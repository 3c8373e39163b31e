"""Sites: what to crawl, read from a TOML sites file (the bundled ``crawler/sites.toml``
by default).

A site has a name, the news lists to start from, optional selector overrides
(:class:`crawler.extract.overrides.Selectors`: when each is used, and how
classification counts it), its time zone, optional politeness (delay, concurrency) and
notes. The file is checked when it is read: a mistake is one line naming the file, the
line and the key (:class:`SitesFileError`).

Which file: an explicit path (``--sites``, ``-a sites=``, ``-s NEWS_ARCHIVE_SITES``),
else ``$NEWS_ARCHIVE_SITES``, else the bundled one (:func:`load_sites`).

Imports the standard library (tomllib, zoneinfo), parsel and lxml (selectors are
compiled when the file is read) and :mod:`crawler.extract.overrides`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from parsel import Selector

from crawler.extract.overrides import GENERIC, Selectors, is_xpath

#: The sites file read when none is named.
BUNDLED = "crawler/sites.toml (bundled)"
#: A site's name: a column value and a command-line word.
NAME = re.compile(r"^[\w][\w.\-]*$")
SITE_KEYS = ("name", "start_urls", "time_zone", "delay", "concurrency", "notes", "selectors")
SELECTOR_KEYS = tuple(f.name for f in fields(Selectors))


class SitesFileError(ValueError):
    """A sites file that cannot be used; the message is one line: ``FILE:LINE: ...``."""


@dataclass(frozen=True)
class SiteProfile:
    """A site to crawl: a name, the news list URLs to start from, selector overrides,
    the site's time zone (its "Сегодня"/"Вчера" are days on that clock), politeness
    overrides (None: the crawl's settings) and notes."""

    name: str
    start_urls: tuple[str, ...]
    selectors: Selectors = field(default_factory=Selectors)
    time_zone: str = ""  # IANA name; "" = unknown (this machine's clock)
    delay: float | None = None  # seconds between two requests to the site
    concurrency: int | None = None  # requests at once to the site
    notes: str = ""

    @property
    def hosts(self) -> frozenset[str]:
        """Host names of the start URLs, without ``www.``."""
        return frozenset(host_of(url) for url in self.start_urls)


@dataclass(frozen=True)
class Sites:
    """The sites of one sites file, in the file's order."""

    source: str
    profiles: tuple[SiteProfile, ...] = ()

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.profiles]

    def named(self, names: list[str] | tuple[str, ...]) -> list[SiteProfile]:
        """The sites called ``names`` (all of them for none); raises
        :class:`SitesFileError` for a name the file does not have."""
        if not names:
            return list(self.profiles)
        by_name = {p.name: p for p in self.profiles}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise SitesFileError(
                f"unknown site {unknown[0]!r} in {self.source} "
                f"(known: {', '.join(self.names) or 'none'})"
            )
        return [by_name[n] for n in dict.fromkeys(names)]

    def for_url(self, url: str) -> SiteProfile | None:
        """The site whose start URLs share ``url``'s host, if any."""
        host = host_of(url)
        return next((p for p in self.profiles if host in p.hosts), None)

    def name_for_url(self, url: str) -> str:
        """The site's name for ``url``: its profile's, else its host (an ad-hoc
        ``--start-url`` of a site the file does not list)."""
        profile = self.for_url(url)
        return profile.name if profile else host_of(url)

    def selectors_for_url(self, url: str) -> Selectors:
        """The selector overrides for ``url``'s site (none without a profile)."""
        profile = self.for_url(url)
        return profile.selectors if profile else GENERIC

    def time_zone_for_url(self, url: str) -> str:
        """The time zone of ``url``'s site: its profile's, else "" (unknown)."""
        profile = self.for_url(url)
        return profile.time_zone if profile else ""


def site_names(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Site names from a list, or from a setting or spider argument (comma or
    whitespace separated): ``NEWS_ARCHIVE_SITE``, ``-a site=``."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [name.strip() for name in value if name.strip()]


def host_of(url: str) -> str:
    """``url``'s host name, lower case, without port and ``www.``."""
    return urlsplit(url).netloc.lower().split(":")[0].removeprefix("www.")


def download_slots(profiles: list[SiteProfile]) -> dict[str, dict]:
    """Scrapy ``DOWNLOAD_SLOTS`` for the sites' own delay and concurrency: one entry per
    host (with and without ``www.``; Scrapy's slot is the request's host name)."""
    slots: dict[str, dict] = {}
    for profile in profiles:
        pace: dict = {}
        if profile.delay is not None:
            # The site's delay is the least time between two of its requests: no
            # random shortening (Scrapy's jitter would send some after half of it).
            pace["delay"] = profile.delay
            pace["jitter"] = 0.0
        if profile.concurrency is not None:
            pace["concurrency"] = profile.concurrency
        if not pace:
            continue
        for url in profile.start_urls:
            host = urlsplit(url).hostname or ""
            bare = host.removeprefix("www.")
            for name in (bare, f"www.{bare}"):
                slots[name] = dict(pace)
    return slots


# -- reading a file -------------------------------------------------------------


def load_sites(path: str | os.PathLike | None = None) -> Sites:
    """The sites of ``path``; without one, of ``$NEWS_ARCHIVE_SITES``, else the bundled
    file. Raises :class:`SitesFileError` (one line) for a missing or wrong file."""
    path = path or os.environ.get("NEWS_ARCHIVE_SITES") or None
    if path is None:
        return bundled_sites()
    source = str(path)
    file = Path(path).expanduser()
    try:
        stamp = file.stat()
        key = (str(file.absolute()), stamp.st_mtime_ns, stamp.st_size)
        if key not in _LOADED:
            _LOADED.clear()  # one file at a time in practice
            _LOADED[key] = parse_sites(file.read_text(encoding="utf-8"), source)
    except FileNotFoundError:
        raise SitesFileError(f"{source}: no such sites file") from None
    except IsADirectoryError:
        raise SitesFileError(f"{source}: is a directory, not a sites file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesFileError(f"{source}: cannot read the sites file: {exc}") from None
    return _LOADED[key]


#: The file read last, by (path, modification time, size): read again when it changes.
_LOADED: dict[tuple[str, int, int], Sites] = {}


@cache
def bundled_sites() -> Sites:
    text = resources.files("crawler").joinpath("sites.toml").read_text(encoding="utf-8")
    return parse_sites(text, BUNDLED)


def parse_sites(text: str, source: str) -> Sites:
    """The sites in TOML ``text`` (read from ``source``, named in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = found.group(1) if found else str(max(1, len(text.splitlines())))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise SitesFileError(f"{source}:{line}: not valid TOML: {message}") from None
    lines = _KeyLines(text)

    def fail(message: str, index: int | None = None, key: str = "") -> SitesFileError:
        return SitesFileError(f"{source}:{lines.find(index, key)}: {message}")

    for key in data:
        if key != "site":
            raise fail(f"{key}: unknown key (the file lists [[site]] tables)", None, key)
    tables = data.get("site", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise fail("site: must be [[site]] tables", None, "site")
    profiles: list[SiteProfile] = []
    owners: dict[str, str] = {}
    for index, table in enumerate(tables):
        profile = _profile(table, index, fail)
        if any(p.name == profile.name for p in profiles):
            raise fail(f"name: site {profile.name!r} is listed twice", index, "name")
        for host in profile.hosts:
            if host in owners:
                raise fail(
                    f"site {profile.name!r}: start_urls: host {host} belongs to "
                    f"site {owners[host]!r} already",
                    index,
                    "start_urls",
                )
            owners[host] = profile.name
        profiles.append(profile)
    return Sites(source, tuple(profiles))


def _profile(table: dict, index: int, fail) -> SiteProfile:
    label = f"site {table['name']!r}" if isinstance(table.get("name"), str) else "[[site]]"
    for key in table:
        if key not in SITE_KEYS:
            raise fail(f"{label}: {key}: unknown key (known: {', '.join(SITE_KEYS)})", index, key)
    name = table.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise fail(
            f"{label}: name: must be a word of letters, digits, '.', '-' or '_'", index, "name"
        )
    urls = table.get("start_urls")
    if not isinstance(urls, list) or not urls:
        raise fail(f"{label}: start_urls: must be a list of news list URLs", index, "start_urls")
    for url in urls:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail(f"{label}: start_urls: not an http(s) URL: {url!r}", index, "start_urls")
    zone = table.get("time_zone", "")
    if not isinstance(zone, str) or (zone and not _known_zone(zone)):
        raise fail(
            f"{label}: time_zone: unknown time zone {zone!r} (an IANA name such as Asia/Almaty)",
            index,
            "time_zone",
        )
    delay = table.get("delay")
    if delay is not None and (
        isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 3600
    ):
        raise fail(f"{label}: delay: must be seconds from 0 to 3600", index, "delay")
    concurrency = table.get("concurrency")
    if concurrency is not None and (
        isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
    ):
        raise fail(f"{label}: concurrency: must be a whole number from 1 on", index, "concurrency")
    notes = table.get("notes", "")
    if not isinstance(notes, str):
        raise fail(f"{label}: notes: must be text", index, "notes")
    return SiteProfile(
        name=name,
        start_urls=tuple(urls),
        selectors=_selectors(table.get("selectors", {}), label, index, fail),
        time_zone=zone,
        delay=float(delay) if delay is not None else None,
        concurrency=concurrency,
        notes=notes.strip(),
    )


def _selectors(table: object, label: str, index: int, fail) -> Selectors:
    if not isinstance(table, dict):
        raise fail(f"{label}: selectors: must be a table of field = selector", index, "selectors")
    page = Selector(text="<html><body></body></html>")
    for key, query in table.items():
        where = f"selectors.{key}"
        if key not in SELECTOR_KEYS:
            raise fail(
                f"{label}: {where}: unknown field (known: {', '.join(SELECTOR_KEYS)})",
                index,
                where,
            )
        if not isinstance(query, str) or not query.strip():
            raise fail(f"{label}: {where}: must be a CSS or XPath selector", index, where)
        try:
            page.xpath(query) if is_xpath(query) else page.css(query)
        except Exception as exc:  # cssselect's SelectorError, lxml's XPathError, ...
            kind = "XPath" if is_xpath(query) else "CSS"
            message = f"{label}: {where}: not a valid {kind} selector: {exc}"
            raise fail(message, index, where) from None
    return Selectors(**table)


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([\w.\-]+))\s*=""")


class _KeyLines:
    """Where each key of a sites file is written (tomllib keeps no positions): the line
    of ``key`` in the ``index``-th ``[[site]]`` (``selectors.x`` inside its
    ``[site.selectors]`` table, or inline), else of the table, else line 1."""

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[int | None, str], int] = {}
        self.tables: dict[int, int] = {}
        site: int | None = None
        prefix = ""
        count = -1
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                name = header.group(1).replace(" ", "")
                if name == "site" and line.lstrip().startswith("[["):
                    count += 1
                    site, prefix = count, ""
                    self.tables[site] = number
                elif name.startswith("site."):
                    prefix = name.removeprefix("site.") + "."
                else:
                    site, prefix = None, f"{name}."
                continue
            key = _KEY.match(line)
            if key:
                word = next(g for g in key.groups() if g)
                self.keys.setdefault((site, prefix + word), number)

    def find(self, index: int | None, key: str) -> int:
        for candidate in (key, key.split(".")[0]):
            if (index, candidate) in self.keys:
                return self.keys[(index, candidate)]
        if index is not None and index in self.tables:
            return self.tables[index]
        return self.keys.get((None, key), 1)
