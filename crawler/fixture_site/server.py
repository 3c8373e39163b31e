"""HTTP serving: routing, the server-side faults (503s, redirects, windows-1251) and the
request log. Faults are described in :mod:`crawler.fixture_site.faults`.

Imports :mod:`.faults`, :mod:`.feeds`, :mod:`.hostile`, :mod:`.pages`, :mod:`.content`,
:mod:`.families`, :mod:`.templates`, :mod:`.words`.
"""

from __future__ import annotations

import re
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import faults, feeds, hostile, pages
from .content import Archive, Snapshot, Story, section_path, slugify
from .families import FAMILIES, LAYOUTS
from .templates import Ctx, Family
from .words import CATEGORIES, LANG_PATH, OTHER_DIR

HTML = "text/html; charset=UTF-8"
XML = "text/xml; charset=UTF-8"

#: A 1x1 grey baseline JPEG (quantisation 1, one-code Huffman tables, DC 0 + EOB).
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000"  # SOI, APP0 JFIF
    "ffdb004300"
    + "01" * 64  # DQT
    + "ffc0000b080001000101011100"  # SOF0 1x1, one component
    + "ffc4001400"
    + "01"
    + "00" * 15
    + "00"  # DHT DC: one 1-bit code for category 0
    + "ffc4001410"
    + "01"
    + "00" * 15
    + "00"  # DHT AC: one 1-bit code for EOB
    + "ffda0008010100003f00"
    + "3f"
    + "ffd9"  # SOS, scan bits 00 + padding, EOI
)
#: A 1x1 PNG (the template logo).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c6390f7eb0100018900fa7fd7efa80000000049454e44ae426082"
)
_ASSETS = {
    ".js": ("application/javascript", b"/* template script */\n"),
    ".css": ("text/css", b"/* template styles */\n"),
    ".png": ("image/png", PNG),
    ".svg": ("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'),
}
_BITRIX_HEADERS = [
    ("X-Powered-CMS", "Bitrix Site Manager (4f1d2c3b5a6e7d8c9b0a1f2e3d4c5b6a)"),
    ("Expires", "Thu, 19 Nov 1981 08:52:00 GMT"),
    ("Cache-Control", "no-store, no-cache, must-revalidate"),
    ("Pragma", "no-cache"),
]
_UNAVAILABLE_BODY = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_LANG_BY_PATH = {v: k for k, v in LANG_PATH.items()}


@dataclass
class Response:
    """Status, content type, body and extra headers of one answer."""

    status: int
    content_type: str
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


def html(text: str, status: int = 200) -> Response:
    """An HTML answer with the headers Bitrix sends."""
    return Response(status, HTML, text.encode("utf-8"), list(_BITRIX_HEADERS))


class App:
    """The site behind the HTTP server: current phase, fault state and request log."""

    def __init__(self, archive: Archive, layout: str, robots: str, phase: int) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; choose from {sorted(LAYOUTS)}")
        if robots not in ("open", "bitrix"):
            raise ValueError("robots must be 'open' or 'bitrix'")
        self.archive = archive
        self.families = {lang: FAMILIES[name] for lang, name in LAYOUTS[layout].items()}
        self.robots = robots
        self.base = ""
        self.log: list[tuple[str, str, int]] = []
        self.times: list[float] = []  # monotonic arrival time of each request in the log
        self.lock = threading.Lock()
        self._hits: dict[tuple, int] = {}
        self._answers: dict[tuple, Response] = {}  # see respond()
        self.sessions = 0
        self.hostile = hostile.Hostile()
        self.set_phase(phase)

    def set_phase(self, phase: int) -> None:
        """Serve the content of ``phase`` (1 or 2) from now on."""
        if phase not in self.archive.phases:
            raise ValueError("phase must be 1 or 2")
        self.snap: Snapshot = self.archive.phases[phase]

    def record(self, method: str, path: str, status: int) -> None:
        """Append one request to the log (and its arrival time to :attr:`times`)."""
        with self.lock:
            self.log.append((method, path, status))
            self.times.append(time.monotonic())

    def session_cookie(self, cookie_header: str | None) -> str | None:
        """A ``Set-Cookie`` value when the request carries no PHP session (as Bitrix
        starts one per visitor and counts one view per session), else None."""
        if cookie_header and "PHPSESSID=" in cookie_header:
            return None
        with self.lock:
            self.sessions += 1
            number = self.sessions
        return f"PHPSESSID=fixture{number:08d}; path=/; HttpOnly"

    def respond(self, raw_path: str) -> Response:
        """Answer one request for ``raw_path`` (path and query).

        A 200 answer is kept and served again for the same path, phase and day: pages
        depend on nothing else (faults answer before a page is rendered, the session
        cookie is a header), and rendering took a third of the server's CPU, which the
        benchmark's crawlers need on the same machine.
        """
        key = (raw_path, id(self.snap), date.today())
        kept = self._answers.get(key)
        if kept is not None:
            return kept
        try:
            url = urlsplit(raw_path)
            response = self.route(url.path, parse_qs(url.query, keep_blank_values=True))
        except Exception:  # a fixture bug must show, not hang the crawl
            traceback.print_exc()
            return Response(500, HTML, b"<h1>500 Internal Server Error</h1>")
        if response.status == 200:
            self._answers[key] = response
        return response

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        snap, base, today = self.snap, self.base, date.today()
        if path == "/robots.txt":
            return Response(
                200, "text/plain; charset=UTF-8", feeds.robots(self.robots, base).encode()
            )
        if path == "/sitemap.xml":
            return _xml(feeds.sitemap_index(snap, base, today))
        if path == "/sitemap_files.xml":
            return _xml(feeds.sitemap_files(base))
        if m := re.fullmatch(r"/sitemap_iblock_(\d+)\.xml", path):
            text = feeds.sitemap_iblock(snap, base, int(m.group(1)), today)
            return _xml(text) if text else self.not_found("ru")
        if path.startswith("/upload/") and path.endswith(".jpg"):
            return Response(200, "image/jpeg", JPEG)
        if path.startswith(("/local/templates/", "/bitrix/")):
            return self.asset(path)
        if path == "/":
            return self.redirect("/ru/")
        head, _, rest = path.lstrip("/").partition("/")
        lang = _LANG_BY_PATH.get(head)
        if lang is None:
            return self.not_found("ru")
        return self.in_language(lang, rest, query)

    def in_language(self, lang: str, rest: str, query: dict[str, list[str]]) -> Response:
        ctx, family = self.ctx(lang), self.families[lang]
        if rest == "":
            return html(pages.static_page(ctx, family, "home"))
        if rest == "about/":
            return html(pages.static_page(ctx, family, "about"))
        folder, _, tail = rest.partition("/")
        if folder == "news":
            return self.in_section(ctx, family, "news", tail, query)
        if folder == OTHER_DIR[lang]:
            return self.in_section(ctx, family, "other", tail, query)
        return self.not_found(lang)

    def in_section(
        self, ctx: Ctx, family: Family, section: str, tail: str, query: dict[str, list[str]]
    ) -> Response:
        news = section == "news"
        element = query.get("ELEMENT_ID", [""])[0]
        if tail in ("", "index.php") and element.isdigit():
            return self.legacy(int(element))
        if tail in ("", "index.php"):
            if news and "tag" in query:
                return self.tag(ctx, family, query["tag"][0])
            return self.list_page(ctx, family, section, family.page_number(query))
        if news and tail == "rss/":
            return _xml(feeds.rss(self.snap, self.base, ctx.lang, ctx.today))
        if news and tail == "search/":
            return html(pages.search_page(ctx, family, query.get("q", [""])[0]))
        if m := re.fullmatch(r"old-(\d+)\.php", tail):
            return self.legacy(int(m.group(1)))
        list_path = section_path(ctx.lang, section)
        key = (
            f"{list_path}detail.php?ELEMENT_ID={element}"
            if tail == "detail.php"
            else list_path + tail
        )
        story = self.snap.routes.get(key)
        return self.article(ctx, family, story) if story else self.not_found(ctx.lang)

    def list_page(self, ctx: Ctx, family: Family, section: str, page: int) -> Response:
        if section == "news" and ctx.lang == faults.LIST_FAILURE_LANG:
            shown = family.position(page, pages.page_count(len(self.snap.news[ctx.lang])))
            if shown == faults.LIST_FAILURE_PAGE and self.fail(
                ("list", shown), faults.LIST_FAILURES
            ):
                return self.unavailable()
        return html(pages.list_page(ctx, family, section, page))

    def article(self, ctx: Ctx, family: Family, story: Story) -> Response:
        if faults.UNAVAILABLE in story.roles:
            if self.fail(("article", story.id), faults.ARTICLE_FAILURES[story.lang]):
                return self.unavailable()
        if faults.WINDOWS_1251 in story.roles:
            text = pages.article_page(ctx, family, story, charset="windows-1251")
            body = text.encode("cp1251", errors="xmlcharrefreplace")
            return Response(200, "text/html", body, list(_BITRIX_HEADERS))
        return html(pages.article_page(ctx, family, story))

    def tag(self, ctx: Ctx, family: Family, slug: str) -> Response:
        category = next((c for c in CATEGORIES[ctx.lang] if slugify(c) == slug), None)
        if category is None:
            return self.not_found(ctx.lang)
        return html(pages.tag_page(ctx, family, category))

    def legacy(self, ident: int) -> Response:
        story = self.snap.ids.get(ident)
        return self.redirect(story.path) if story else self.not_found("ru")

    def fail(self, key: tuple, times: int) -> bool:
        """True for the first ``times`` requests of ``key`` (per server instance)."""
        with self.lock:
            self._hits[key] = self._hits.get(key, 0) + 1
            return self._hits[key] <= times

    def ctx(self, lang: str) -> Ctx:
        return Ctx(self.base, self.snap, lang, date.today())

    def redirect(self, path: str) -> Response:
        body = b"<html><body>Moved Permanently</body></html>"
        return Response(301, HTML, body, [*_BITRIX_HEADERS, ("Location", self.base + path)])

    def unavailable(self) -> Response:
        return Response(503, HTML, _UNAVAILABLE_BODY)

    def not_found(self, lang: str) -> Response:
        return html(pages.not_found_page(self.ctx(lang), self.families[lang]), status=404)

    def asset(self, path: str) -> Response:
        for ext, (content_type, body) in _ASSETS.items():
            if path.endswith(ext):
                return Response(200, content_type, body)
        return self.not_found("ru")


def _xml(text: str) -> Response:
    return Response(200, XML, text.encode("utf-8"))


class Handler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1 handler answering through the server's :class:`App`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "nginx"
    timeout = 30
    server: Server

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self.answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(send_body=False)

    def answer(self, send_body: bool) -> None:
        app = self.server.app
        trickle = 0.0
        if self.path.startswith("/hostile/"):
            found = app.hostile.respond(self.path, self.headers.get("Host", ""), app.base)
            response = Response(found.status, found.content_type, found.body, found.headers)
            trickle = found.trickle
        else:
            response = app.respond(self.path)
        app.record(self.command, self.path, response.status)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        cookie = app.session_cookie(self.headers.get("Cookie"))
        if cookie:
            self.send_header("Set-Cookie", cookie)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body and trickle:
            self.trickle(response.body, trickle)
        elif send_body:
            self.wfile.write(response.body)

    def trickle(self, body: bytes, seconds: float) -> None:
        """Send ``body`` one byte every ``seconds`` (a slow server), until the client
        gives up."""
        for i in range(len(body)):
            try:
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
            except OSError:
                self.close_connection = True
                return
            time.sleep(seconds)

    def version_string(self) -> str:
        """The ``Server`` header."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: the request log is :attr:`App.log`."""


class Server(ThreadingHTTPServer):
    """A threading HTTP server carrying the :class:`App`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App) -> None:
        super().__init__(address, Handler)
        self.app = app
        host, port = self.server_address[:2]
        app.base = f"http://{host}:{port}"
