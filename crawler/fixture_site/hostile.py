"""The "hostile" family of URLs: answers a server should not give, each under
``/hostile/<case>/`` (a news list of its own linking the case's articles), so the
end-to-end tests keep every case the crawler must survive.

=============  ==================================================================
case           what the server does
=============  ==================================================================
``busy``       article ``a1`` answers 429 with ``Retry-After: 2`` once, then 200
``refusing``   every article answers 429 with ``Retry-After: 0``, for ever
``bomb``       article ``a1`` is a gzip body that unpacks to :data:`BOMB_SIZE` bytes
``big``        article ``a1`` is a plain body of :data:`BIG_SIZE` bytes
``slow``       article ``a1`` trickles its body one byte every :data:`TRICKLE` s
``endless``    every list page links 3 new articles and a next page (``PAGEN_1``)
``same``       every list page links the same 3 articles and a next page
``odd``        200 answers: ``a1`` empty, ``a2`` binary garbage, ``a3`` an article
``offhost``    ``a1`` redirects to the same server under another host name
               (``localhost``); the request log keeps each request's ``Host``
``loop``       ``a1`` redirects to itself
``offsection`` ``a1`` redirects out of the list's section to a page that is 404
``longurl``    the list links one article by a URL of 2,100 characters
``charset``    ``a1``: UTF-8 bytes under a ``windows-1251`` header; ``a2``: windows-1251
               bytes under a ``utf-8`` header (no ``<meta>``)
=============  ==================================================================

Every other article of a case (``a2``, ``a3``...) is a normal article. The request log
(:attr:`Hostile.log`) holds ``(monotonic time, Host header, path, status)``.

Imports the standard library only.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

#: What the bomb unpacks to: above the crawl's 8 MB cap, small enough to build fast.
BOMB_SIZE = 64 * 1024 * 1024
#: The plain over-size body.
BIG_SIZE = 12 * 1024 * 1024
#: Seconds per byte of the slow article.
TRICKLE = 0.5

CASES = (
    "busy",
    "refusing",
    "bomb",
    "big",
    "slow",
    "endless",
    "same",
    "odd",
    "offhost",
    "loop",
    "offsection",
    "longurl",
    "charset",
)

_BODY = (
    "Ассамблея народа Казахстана провела семинар по медиации в Индерском районе. "
    "Участники обсудили работу советов общественного согласия и планы на следующий год. "
    "Координатор рассказала о новых курсах для медиаторов из всех регионов страны."
)


@dataclass
class Answer:
    """What the hostile route answers: status, content type, body, headers; a body
    with ``trickle`` seconds is sent one byte at a time."""

    status: int
    content_type: str
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    trickle: float = 0.0


def article_html(case: str, name: str, charset: str = "utf-8", meta: bool = True) -> str:
    head = f'<meta charset="{charset}">' if meta else ""
    return (
        f'<!DOCTYPE html><html lang="ru"><head>{head}<title>{case} {name} | Hostile</title>'
        '</head><body><div class="news-detail">'
        '<span class="news-date-time">24.08.2022</span>'
        f"<h3>Статья {case} {name}</h3>{_BODY}</div>"
        '<p><a href="../">Возврат к списку</a></p></body></html>'
    )


def list_html(links: list[str], next_href: str | None, number: int) -> str:
    items = "".join(
        f'<p class="news-item" id="bx_1_{i}"><span class="news-date-time">24.08.2022</span>'
        f'<a href="{href}"><b>Статья {i}</b></a><br>Анонс статьи.</p>'
        for i, href in enumerate(links, start=1)
    )
    pager = ""
    if next_href:
        pager = (
            f'<font class="text"><b>{number}</b> <a href="{next_href}">{number + 1}</a> | '
            f'<a href="{next_href}">След.</a></font>'
        )
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Новости</title>'
        f'</head><body><h1>Новости</h1><div class="news-list">{items}</div>{pager}'
        "</body></html>"
    )


def _html(text: str, status: int = 200, charset: str = "UTF-8") -> Answer:
    return Answer(status, f"text/html; charset={charset}", text.encode("utf-8"))


class Hostile:
    """The hostile routes and their request log (one per server)."""

    def __init__(self) -> None:
        self.log: list[tuple[float, str, str, int]] = []
        self.lock = threading.Lock()
        self._hits: dict[str, int] = {}
        self._bomb: bytes | None = None

    def record(self, host: str, path: str, status: int) -> None:
        with self.lock:
            self.log.append((time.monotonic(), host, path, status))

    def hit(self, key: str) -> int:
        """How many times ``key`` was asked for, this one included."""
        with self.lock:
            self._hits[key] = self._hits.get(key, 0) + 1
            return self._hits[key]

    def respond(self, raw_path: str, host: str, base: str) -> Answer:
        url = urlsplit(raw_path)
        parts = url.path.strip("/").split("/")  # hostile, case, [name], ...
        query = parse_qs(url.query)
        answer = self.route(parts[1] if len(parts) > 1 else "", parts[2:], query, host, base)
        self.record(host, raw_path, answer.status)
        return answer

    def route(self, case: str, rest: list[str], query: dict, host: str, base: str) -> Answer:
        if case not in CASES:
            return _html("<h1>404 Not Found</h1>", 404)
        if not rest or rest == [""]:
            return self.list_page(case, query)
        name = rest[0]
        handler = getattr(self, f"case_{case}", None)
        answer = handler(name, base) if handler else None
        return answer or _html(article_html(case, name))

    def list_page(self, case: str, query: dict) -> Answer:
        number = int(query.get("PAGEN_1", ["1"])[0])
        if case == "endless":
            links = [f"p{number}-{i}/" for i in range(1, 4)]
            return _html(list_html(links, f"?PAGEN_1={number + 1}", number))
        if case == "same":
            return _html(list_html(["a1/", "a2/", "a3/"], f"?PAGEN_1={number + 1}", number))
        if case == "longurl":
            long = "a-" + "x" * 2100 + "/"
            return _html(list_html([long, "a2/", "a3/"], None, 1))
        return _html(list_html(["a1/", "a2/", "a3/"], None, 1))

    # -- the cases: None means "a normal article" ---------------------------------

    def case_busy(self, name: str, base: str) -> Answer | None:
        if name == "a1" and self.hit("busy") == 1:
            return Answer(429, "text/html", b"Too Many Requests", [("Retry-After", "2")])
        return None

    def case_refusing(self, name: str, base: str) -> Answer | None:
        return Answer(429, "text/html", b"Too Many Requests", [("Retry-After", "0")])

    def case_bomb(self, name: str, base: str) -> Answer | None:
        if name != "a1":
            return None
        if self._bomb is None:
            self._bomb = gzip.compress(b"\0" * BOMB_SIZE, compresslevel=9)
        return Answer(200, "text/html; charset=UTF-8", self._bomb, [("Content-Encoding", "gzip")])

    def case_big(self, name: str, base: str) -> Answer | None:
        if name != "a1":
            return None
        return Answer(200, "text/html; charset=UTF-8", b"<p>" + b"x" * BIG_SIZE)

    def case_slow(self, name: str, base: str) -> Answer | None:
        if name != "a1":
            return None
        answer = _html(article_html("slow", name))
        answer.trickle = TRICKLE
        return answer

    def case_odd(self, name: str, base: str) -> Answer | None:
        if name == "a1":
            return Answer(200, "text/html; charset=UTF-8", b"")
        if name == "a2":
            garbage = bytes((i * 7919 + 13) % 256 for i in range(4096))
            return Answer(200, "text/html; charset=UTF-8", garbage)
        return None

    def case_offhost(self, name: str, base: str) -> Answer | None:
        if name != "a1":
            return None
        target = base.replace("127.0.0.1", "localhost") + "/hostile/offhost/moved/"
        return Answer(301, "text/html", b"Moved", [("Location", target)])

    def case_loop(self, name: str, base: str) -> Answer | None:
        if name != "a1":
            return None
        return Answer(302, "text/html", b"Found", [("Location", "/hostile/loop/a1/")])

    def case_offsection(self, name: str, base: str) -> Answer | None:
        if name != "a1":
            return None
        return Answer(301, "text/html", b"Moved", [("Location", "/hostile/gone/a1/")])

    def case_charset(self, name: str, base: str) -> Answer | None:
        if name == "a1":  # UTF-8 bytes, the header says windows-1251
            text = article_html("charset", name, meta=False)
            return Answer(200, "text/html; charset=windows-1251", text.encode("utf-8"))
        if name == "a2":  # windows-1251 bytes, the header says UTF-8
            text = article_html("charset", name, meta=False)
            return Answer(200, "text/html; charset=UTF-8", text.encode("cp1251"))
        return None
