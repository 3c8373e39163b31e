"""``FixtureSite``: the fixture archive served over HTTP from a daemon thread.

Imports :mod:`.faults`, :mod:`.content`, :mod:`.expected`, :mod:`.server`, :mod:`.words`.
"""

from __future__ import annotations

import threading
from datetime import date
from types import TracebackType

from . import faults
from .content import build_archive
from .expected import expected_articles
from .server import App, Server
from .words import LANG_PATH, LANGS


class FixtureSite:
    """A generated Bitrix-family news archive on ``http://127.0.0.1:<port>``.

    ``layout``: ``default``, ``custom``, ``modern``, ``mixed`` (ru custom, kk default,
    en modern), ``reverse`` or ``unseen`` (see :data:`.families.LAYOUTS`). ``robots``:
    ``open`` or ``bitrix``. ``phase``: 1 or 2 (see :meth:`set_phase`).
    """

    def __init__(
        self,
        layout: str = "mixed",
        robots: str = "open",
        articles_per_lang: int = 60,
        phase: int = 1,
        port: int = 0,
        host: str = "127.0.0.1",
    ) -> None:
        self.app = App(build_archive(articles_per_lang), layout, robots, phase)
        self.address = (host, port)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FixtureSite:
        """Bind the port and serve in a daemon thread."""
        if self._server is None:
            self._server = Server(self.address, self.app)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:8123``."""
        if not self.app.base:
            raise RuntimeError("the fixture site is not started")
        return self.app.base

    @property
    def start_urls(self) -> list[str]:
        """The news-list URLs, one per language: ru, kk, en."""
        return [f"{self.url}/{LANG_PATH[lang]}/news/" for lang in LANGS]

    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        """A copy of the log: (method, path with query, status), in arrival order."""
        with self.app.lock:
            return list(self.app.log)

    @property
    def request_times(self) -> list[float]:
        """The monotonic arrival time of each request of :attr:`request_log`."""
        with self.app.lock:
            return list(self.app.times)

    def hostile_url(self, case: str) -> str:
        """The news list of a hostile case (:mod:`.hostile`)."""
        return f"{self.url}/hostile/{case}/"

    @property
    def hostile_log(self) -> list[tuple[float, str, str, int]]:
        """The hostile routes' log: (monotonic time, Host header, path, status)."""
        with self.app.hostile.lock:
            return list(self.app.hostile.log)

    @property
    def sessions(self) -> int:
        """PHP sessions started: requests that came without the ``PHPSESSID`` cookie."""
        return self.app.sessions

    def clear_log(self) -> None:
        """Forget the requests logged so far (fault state is kept)."""
        with self.app.lock:
            self.app.log.clear()

    def set_phase(self, phase: int) -> None:
        """Switch content at runtime: phase 2 adds 3 articles per language on top of each
        list, edits one article and raises every phase-1 view count."""
        self.app.set_phase(phase)

    @property
    def phase(self) -> int:
        """The phase being served."""
        return self.app.snap.phase

    def expected_articles(self) -> list[dict]:
        """Exact expected stored records for the current phase (rules in
        :mod:`crawler.fixture_site.expected`); relative dates resolve against today."""
        return expected_articles(self.app.snap, self.app.families, self.url, date.today())

    def fault_urls(self) -> dict[str, list[str]]:
        """Absolute URLs of the fault cases, by fault name (see :mod:`.faults`)."""
        snap, base = self.app.snap, self.url
        found: dict[str, list[str]] = {}
        for lang in LANGS:
            for story in snap.news[lang]:
                for role in sorted(story.roles):
                    found.setdefault(role, []).append(base + story.path)
                    if role == faults.REDIRECT:
                        found.setdefault("legacy", []).append(base + faults.legacy_path(story))
        return found
