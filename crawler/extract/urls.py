"""Canonical URLs and URL-shape tests for Bitrix news sections.

Everything here works on the URL alone (no page content):

* :func:`canonical_url` is the key under which a page is stored and de-duplicated:
  tracking parameters (:data:`TRACKING_PARAMS`, any ``utm_*``) and ``SHOWALL_<n>=0`` (the
  paged view itself) are dropped, then w3lib's ``canonicalize_url`` sorts the query,
  normalises percent-encoding and drops the fragment; scheme and host are lower-cased and
  a default port is removed. ``PAGEN_<n>=1`` and ``nav-<x>=page-1`` are kept: with the
  usual forward numbering they show the bare list URL's page, but under reverse
  numbering (``bDescPageNumbering``) the bare URL is the *newest* page and ``PAGEN_1=1``
  the *oldest*, so folding them together would lose a page. A forward walk never reaches
  page 1 through a "next" link, so keeping the parameter doubles no page (the spider also
  stops a walk at a page whose links repeat a page already walked).
* A *section* is the directory of a start (list) URL: ``/ru/news/`` for ``/ru/news/``,
  ``/ru/news/index.php`` or ``/ru/news/?PAGEN_1=3``. Only URLs on the same host (``www.``
  ignored) under that directory belong to the crawl (:func:`in_section`); for a
  language version's list (``/en/news/``) the directory without the language segment
  (``/news/``) belongs to it too, as sites link their articles both ways.
* :func:`is_pagination_url` recognises every Bitrix pager: ``PAGEN_<n>`` (classic
  ``system.pagenavigation``), ``SHOWALL_<n>``, the D7 ``main.pagenavigation`` query
  ``nav-<name>=page-<n>`` and its SEF form ``.../nav-<name>/page-<n>/``.
* :func:`looks_like_article_url` decides whether a link found on a list page may be a
  detail page: inside the section, below the list (``<list>/<code>/``, ``<list>/<ID>/``,
  ``<list>/<section>/<code>/``, ``<list>/<code>.php|.html``) or carrying
  ``ELEMENT_ID``/``ELEMENT_CODE``; never the list itself, a pager link, ``rss/``,
  ``search/``, tag/search/print/filter queries, ``/bitrix/`` or ``/upload/`` paths, files
  (images, documents, feeds), ``index.php`` without an element parameter, or a
  non-HTTP(S) link (``mailto:``, ``javascript:``, ``tel:``). A section page
  (``<list>/<section>/``) cannot be told from an article by its URL; the list extractor
  only takes links from the list's own items, and the page classifier keeps such pages
  out of storage.

Imports w3lib and :mod:`crawler.extract.vocabulary` (language path segments).

Over 400 lines: most of it is the URL vocabulary of Bitrix sites (tracking parameters,
non-article segments and query keys, file extensions), one entry a line.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from crawler.extract.vocabulary import LANGUAGE_SEGMENTS

#: Query parameters that never change the page content (compared case-insensitively).
#: Analytics click ids, referral markers, the PHP session id and Bitrix debug/admin
#: switches (``clear_cache``, ``show_page_exec_time``, ``bitrix_include_areas``...).
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "yclid",
        "ymclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_openstat",
        "openstat",
        "from",
        "phpsessid",
        "clear_cache",
        "clear_cache_session",
        "sphrase_id",
        "back_url_admin",
        "bitrix_include_areas",
        "show_page_exec_time",
        "show_include_exec_time",
        "show_sql_stat",
        "bxajaxid",
    }
)
#: Any parameter starting with one of these prefixes is tracking too.
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)

#: Query keys that make a URL a search, tag, filter or print view, never an article.
NON_ARTICLE_QUERY_KEYS: frozenset[str] = frozenset(
    {
        "q",
        "query",
        "search",
        "how",
        "tag",
        "tags",
        "print",
        "set_filter",
        "del_filter",
        "login",
        "logout",
        "register",
        "forgot_password",
        "change_password",
        "action",
    }
)
#: Path segments below the list that lead to feeds, search, tags and service pages.
NON_ARTICLE_SEGMENTS: frozenset[str] = frozenset(
    {
        "rss",
        "search",
        "tag",
        "tags",
        "print",
        "bitrix",
        "upload",
        "auth",
        "personal",
        "filter",
        "sitemap",
        "feed",
    }
)
#: File extensions that are downloads or assets, not HTML pages.
FILE_EXTENSIONS: frozenset[str] = frozenset(
    {
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "svg",
        "bmp",
        "ico",
        "tif",
        "tiff",
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "rtf",
        "txt",
        "csv",
        "zip",
        "rar",
        "7z",
        "gz",
        "xml",
        "rss",
        "json",
        "js",
        "css",
        "mp3",
        "mp4",
        "avi",
        "mov",
        "wmv",
        "flv",
        "webm",
        "ogg",
        "wav",
    }
)

_PAGEN_KEY = re.compile(r"^pagen_\d+$", re.IGNORECASE)
_SHOWALL_KEY = re.compile(r"^showall_\d+$", re.IGNORECASE)
_NAV_KEY = re.compile(r"^nav-[\w-]+$", re.IGNORECASE)
_NAV_VALUE = re.compile(r"^(?:page-(?:\d+|all)|size-\d+)(?:-|$)", re.IGNORECASE)
_SEF_PAGER_PATH = re.compile(r"(?:/nav-[\w-]+)?/page-(?:\d+|all)(?:/size-\d+)?/?$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": "80", "https": "443"}
#: An absolute web ``href`` whose host part is plain ASCII, ending at ``/``, ``?``, ``#`` or
#: the end (no spaces or control characters that ``urlsplit`` would strip first).
_WEB_HREF = re.compile(r"https?://([A-Za-z0-9._~%!$&'()*+,;=:@\[\]-]*)(?=[/?#]|\Z)")


def _query_pairs(query: str) -> list[tuple[str, str, str]]:
    """Split a raw query into ``(raw_pair, decoded_lower_key, decoded_value)`` triples."""
    pairs = []
    for raw in query.split("&"):
        if not raw:
            continue
        key, _, value = raw.partition("=")
        pairs.append((raw, unquote(key.replace("+", " ")).strip().lower(), unquote(value)))
    return pairs


def _is_tracking(key: str) -> bool:
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _is_paged_view(key: str, value: str) -> bool:
    """``SHOWALL_1=0``: "not everything on one page", the paged list itself."""
    return bool(_SHOWALL_KEY.match(key)) and value.strip() == "0"


def _normal_netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    host, sep, port = netloc.rpartition(":")
    if sep and "]" not in port and _DEFAULT_PORTS.get(scheme) == port:
        return host
    return netloc


@functools.lru_cache(maxsize=16384)
def canonical_url(url: str) -> str:
    """Return the canonical form of ``url`` (see the module docstring).

    Memoised: the same links (menus, rubrics, pagers) recur on every page of a crawl.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    kept = [
        raw
        for raw, key, value in _query_pairs(parts.query)
        if not _is_tracking(key) and not _is_paged_view(key, value)
    ]
    rebuilt = urlunsplit(
        (scheme, _normal_netloc(scheme, parts.netloc), parts.path or "/", "&".join(kept), "")
    )
    return canonicalize_url(rebuilt, keep_fragments=False)


_PAGE_ONE_VALUE = re.compile(r"^(?:1|page-1)$", re.IGNORECASE)


def same_page_one(url: str, other: str) -> bool:
    """``url`` and ``other`` are one list page under two names: equal once a page-1
    parameter (``PAGEN_1=1``, ``nav-news=page-1``) is dropped — what page 1 of a
    forward-numbered list is (under reverse numbering ``PAGEN_1=1`` is the *oldest*
    page, so the two stay apart in :func:`canonical_url`)."""

    def without_page_one(value: str) -> str:
        parts = urlsplit(value)
        kept = [
            raw
            for raw, key, val in _query_pairs(parts.query)
            if not ((_PAGEN_KEY.match(key) or _NAV_KEY.match(key)) and _PAGE_ONE_VALUE.match(val))
        ]
        return canonical_url(urlunsplit(parts._replace(query="&".join(kept))))

    return without_page_one(url) == without_page_one(other)


def _prefixes(prefix: str) -> tuple[str, ...]:
    """The section directory, and for a language version's list (``/en/news/``) the same
    directory without the language segment (``/news/``): sites link the articles of
    their default language both ways (assembly.kz: ``/en/news/<slug>/`` and
    ``/news/<slug>/``)."""
    segments = [s for s in prefix.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() in LANGUAGE_SEGMENTS:
        return prefix, "/" + "".join(s + "/" for s in segments[1:])
    return (prefix,)


def _host(netloc: str) -> str:
    host = netloc.lower().rpartition("@")[2].split(":")[0]
    return host.removeprefix("www.")


def _strip_sef_pager(path: str) -> str:
    """``/ru/news/nav-news/page-2/`` → ``/ru/news/``."""
    stripped = _SEF_PAGER_PATH.sub("/", path)
    return stripped if stripped.startswith("/") else "/" + stripped


def _section_path(start_url: str) -> str:
    path = unquote(urlsplit(start_url.strip()).path) or "/"
    if not path.endswith("/"):
        head, _, last = path.rpartition("/")
        path = head + "/" if "." in last else path + "/"
    return _strip_sef_pager(path)


def section_prefix(start_url: str) -> str:
    """Return ``scheme://host/dir/``: the directory of the list at ``start_url``."""
    parts = urlsplit(start_url.strip())
    scheme = parts.scheme.lower()
    return f"{scheme}://{_normal_netloc(scheme, parts.netloc)}{_section_path(start_url)}"


def on_start_host(url: str, start_url: str) -> str:
    """``url`` with the start URL's scheme and host when it names the same site with or
    without ``www.`` or over the other scheme, so one article has one key."""
    parts, start = urlsplit(url), urlsplit(start_url)
    if _host(parts.netloc) != _host(start.netloc):
        return url
    scheme = start.scheme.lower()
    same = (parts.scheme.lower(), _normal_netloc(parts.scheme.lower(), parts.netloc))
    wanted = (scheme, _normal_netloc(scheme, start.netloc))
    if same == wanted:
        return url
    return urlunsplit((*wanted, parts.path, parts.query, parts.fragment))


def same_site(url: str, other: str) -> bool:
    """``url`` and ``other`` are on one host (``www.``, scheme and port aside)."""
    return _host(urlsplit(url).netloc) == _host(urlsplit(other).netloc)


def in_section(url: str, start_url: str) -> bool:
    """True when ``url`` is on the start URL's host, under its directory."""
    return Section(start_url).contains(url)


@functools.lru_cache(maxsize=4096)
def is_pagination_url(url: str) -> bool:
    """True for pager links: ``PAGEN_n``, ``SHOWALL_n``, ``nav-x=page-n``, ``/nav-x/page-n/``.

    Memoised: a pager's links recur on the list pages around it.
    """
    parts = urlsplit(url.strip())
    return _has_pager_query(parts.query) or bool(_SEF_PAGER_PATH.search(unquote(parts.path)))


def _has_pager_query(query: str) -> bool:
    for _raw, key, value in _query_pairs(query):
        if _PAGEN_KEY.match(key) or _SHOWALL_KEY.match(key):
            return True
        if _NAV_KEY.match(key) and _NAV_VALUE.match(value.strip()):
            return True
    return False


def _extension(segment: str) -> str:
    stem, dot, ext = segment.rpartition(".")
    return ext.lower() if dot and stem else ""


class Section:
    """The section of one list URL, parsed once and reused for every link on a page."""

    def __init__(self, list_url: str) -> None:
        parts = urlsplit(list_url.strip())
        self.host = _host(parts.netloc)
        self.prefix = _section_path(list_url)
        self.prefixes = _prefixes(self.prefix)
        #: ``host/prefix/``: equal for equal sections (a key for memoised link tests).
        self.key = self.host + self.prefix

    @classmethod
    def from_key(cls, key: str) -> Section:
        """The section whose :attr:`key` is ``key``."""
        section = cls.__new__(cls)
        host, _, rest = key.partition("/")
        section.host, section.prefix, section.key = host, "/" + rest, key
        section.prefixes = _prefixes(section.prefix)
        return section

    def contains(self, url: str | SplitResult) -> bool:
        """Same host (``www.`` ignored) and a path under the section directory."""
        parts = urlsplit(url.strip()) if isinstance(url, str) else url
        if _host(parts.netloc) != self.host:
            return False
        path = unquote(parts.path) or "/"
        return any(path.startswith(p) or path + "/" == p for p in self.prefixes)

    def surely_outside(self, href: str) -> bool:
        """Cheap test on a raw ``href``: a root-relative one (``/about/``) outside the
        section directory, or a plain absolute one on another host (share buttons,
        counters): no need to resolve it. False when unsure."""
        if not href.startswith("/"):
            web = _WEB_HREF.match(href)
            return bool(web) and _host(web.group(1)) != self.host
        if href.startswith("//"):
            return False
        path = href.split("?", 1)[0].split("#", 1)[0]
        if "%" in path:
            path = unquote(path)
        return not any(path.startswith(p) or path + "/" == p for p in self.prefixes)

    def _below_list(self, path: str) -> list[str]:
        """Path segments below the list directory (the whole path outside the section)."""
        rest = path
        for prefix in self.prefixes:
            if path.startswith(prefix):
                rest = path[len(prefix) :]
                break
            if path + "/" == prefix:
                rest = ""
                break
        return [s for s in rest.split("/") if s]

    def looks_like_article(self, url: str, require_section: bool = True) -> bool:
        """See :func:`looks_like_article_url` (memoised: links recur on every page)."""
        return _looks_like_article(self.key, url, require_section)


@functools.lru_cache(maxsize=16384)
def _looks_like_article(section_key: str, url: str, require_section: bool) -> bool:
    """:meth:`Section.looks_like_article` for the section with that :attr:`Section.key`."""
    section = Section.from_key(section_key)
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return False
    if require_section and not section.contains(parts):
        return False
    if not require_section and _host(parts.netloc) != section.host:
        return False
    path = unquote(parts.path) or "/"
    pairs = _query_pairs(parts.query)
    keys = {key for _raw, key, _value in pairs}
    if keys & NON_ARTICLE_QUERY_KEYS or any(k.startswith("arrfilter") for k in keys):
        return False
    if _has_pager_query(parts.query) or _SEF_PAGER_PATH.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if any(s.lower() in ("bitrix", "upload") for s in segments):
        return False
    if segments and _extension(segments[-1]) in FILE_EXTENSIONS:
        return False
    rest_segments = section._below_list(path)
    for segment in rest_segments:
        lowered = segment.lower()
        if lowered in NON_ARTICLE_SEGMENTS or lowered.rpartition(".")[0] in NON_ARTICLE_SEGMENTS:
            return False
    if any(k in ("element_id", "element_code") and v.strip() for _r, k, v in pairs):
        return True
    if keys & {"section_id", "section_code"}:
        return False
    if not rest_segments:
        return False
    return not rest_segments[-1].lower().startswith(("index.", "default."))


def looks_like_article_url(url: str, list_url: str, *, require_section: bool = True) -> bool:
    """True when ``url`` (absolute) may be a detail page of the list at ``list_url``.

    With ``require_section=False`` (used for site-specific ``article_links`` selectors)
    the URL only has to be on the same host; every other rule still applies.
    """
    return Section(list_url).looks_like_article(url, require_section)
