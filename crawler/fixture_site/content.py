"""The deterministic article model: an archive generated from a seed, one snapshot per phase.

Phase 1 holds ``articles_per_lang`` news articles per language (the seed article among
the Russian ones) plus a few articles of each language's other section. Phase 2 adds
three newer articles on top of every news list, edits one article and raises every
view count (see :mod:`crawler.fixture_site.faults`).

Imports :mod:`.faults`, :mod:`.words`.

Over 400 lines: the whole article model of the fixture site (stories, phases, the
faults each carries) in one place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from importlib import resources
from random import Random
from string import Formatter
from typing import TypeVar

from . import faults
from .words import (
    CATEGORIES,
    LANG_PATH,
    LANGS,
    OTHER_DIR,
    OTHER_TITLES,
    PATTERNS,
    POOLS,
    PROBE_SENTENCES,
    label,
    title_parts,
)

T = TypeVar("T")

SEED = 2022
MIN_ARTICLES = 12
OTHER_ARTICLES = 6
POPULAR_NEWS = 5
POPULAR_OTHER = 2

START = datetime(2019, 1, 9)
END = datetime(2024, 11, 29)
PHASE_2_TIMES = (
    datetime(2024, 12, 4, 15, 10),
    datetime(2024, 12, 3, 11, 0),
    datetime(2024, 12, 2, 9, 30),
)

SEED_TITLE = "Семинар в Индерском районе"
SEED_CODE = "seminar-v-inderskom-rayone"
SEED_WHEN = datetime(2022, 8, 24, 10, 15)
SEED_VIEWS = 409

_TRANSLIT = str.maketrans(
    dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщыэюяәғқңөұүһі",
            "a b v g d e e zh z i y k l m n o p r s t u f h c ch sh sch y e yu ya "
            "a g k n o u u h i".split(),
            strict=True,
        ),
        ъ="",
        ь="",
    )
)
#: Category indexes to draw from: the Assembly's own rubric is the most frequent.
_CATEGORY_WEIGHTS = (0, 0, 0, 1, 1, 2, 3, 4, 5)
_PATTERN_SLOTS = {
    lang: [(p, [name for _, name, _, _ in Formatter().parse(p) if name]) for p in patterns]
    for lang, patterns in PATTERNS.items()
}


@dataclass(frozen=True, slots=True)
class Story:
    """One article (or the 404 list item) as the site shows it in one phase."""

    id: int
    lang: str
    section: str  # "news" or "other"
    style: str  # URL style: "code", "id" or "element"
    code: str
    title: str
    when: datetime
    date_style: str  # "native", "alt0", "alt1", "today", "yesterday", "undated"
    category: str
    paragraphs: tuple[str, ...]
    views: int | None
    detail_image: str | None
    body_images: tuple[str, ...]
    video: bool
    comments: int
    modified: datetime
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def list_path(self) -> str:
        """Path of the list this article belongs to, e.g. ``/ru/news/``."""
        return section_path(self.lang, self.section)

    @property
    def path(self) -> str:
        """The article's own (canonical) path, query included for ``?ELEMENT_ID=``."""
        if self.style == "element":
            return f"{self.list_path}detail.php?ELEMENT_ID={self.id}"
        if self.style == "id":
            return f"{self.list_path}{self.id}/"
        return f"{self.list_path}{self.code}/"

    @property
    def preview(self) -> str:
        """Preview text: the first sentence of the first paragraph."""
        first = self.paragraphs[0]
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]


@dataclass(frozen=True)
class Snapshot:
    """Everything the site serves in one phase."""

    phase: int
    news: dict[str, tuple[Story, ...]]  # list order, newest first, the 404 item included
    other: dict[str, tuple[Story, ...]]
    popular: dict[str, tuple[Story, ...]]
    routes: dict[str, Story]  # article path -> story (404 item excluded)
    ids: dict[int, Story]

    def articles(self, lang: str) -> list[Story]:
        """The news articles of ``lang`` a crawler should store, list order."""
        return [s for s in self.news[lang] if faults.MISSING not in s.roles]


@dataclass(frozen=True)
class Archive:
    """The generated archive: one :class:`Snapshot` per phase."""

    phases: dict[int, Snapshot]


def section_path(lang: str, section: str) -> str:
    """Return the list path of ``section`` (``news`` / ``other``) in ``lang``."""
    folder = "news" if section == "news" else OTHER_DIR[lang]
    return f"/{LANG_PATH[lang]}/{folder}/"


def slugify(text: str) -> str:
    """Transliterate ``text`` (ru/kk/en) into a Bitrix-style symbolic code."""
    out = text.lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", out).strip("-")[:80].rstrip("-")


def seed_paragraphs() -> tuple[str, ...]:
    """The five body paragraphs of the seed article."""
    text = resources.files(__package__).joinpath("data/seed-article.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


#: Random draws of a title before a drawn one is numbered (see ``_Generator._title``).
TITLE_DRAWS = 50


def build_archive(articles_per_lang: int = 60, seed: int = SEED) -> Archive:
    """Generate the archive; the same arguments always give the same archive."""
    if articles_per_lang < MIN_ARTICLES:
        raise ValueError(f"articles_per_lang must be at least {MIN_ARTICLES}")
    gen = _Generator(seed, articles_per_lang)
    return Archive({1: gen.snapshot(1), 2: gen.snapshot(2)})


class _Generator:
    """Draws titles, bodies and numbers; one random stream per language."""

    def __init__(self, seed: int, n: int) -> None:
        self.n = n
        self.seed_index = 0  # position of the seed article in the ru list
        self.rng = {lang: Random(f"{seed}:{lang}") for lang in LANGS}
        self.titles: set[str] = {SEED_TITLE}
        self.codes: set[str] = {SEED_CODE}
        times = {lang: self._times(lang) for lang in LANGS}
        self.ids = _assign_ids(times)
        self.news = {lang: self._news(lang, times[lang]["news"]) for lang in LANGS}
        self.other = {lang: self._other(lang, times[lang]["other"]) for lang in LANGS}
        self.new = {lang: self._new(lang, times[lang]["new"]) for lang in LANGS}
        self.missing = {lang: self._missing(lang) for lang in LANGS}

    def _times(self, lang: str) -> dict[str, list[datetime]]:
        rng = self.rng[lang]
        news = _spread(self.n - (lang == "ru"), rng)
        if lang == "ru":
            news = sorted([*news, SEED_WHEN], reverse=True)
            self.seed_index = news.index(SEED_WHEN)
        return {"news": news, "other": _spread(OTHER_ARTICLES, rng), "new": list(PHASE_2_TIMES)}

    def _news(self, lang: str, times: list[datetime]) -> list[Story]:
        stories, k = [], 0
        for i, when in enumerate(times):
            ident = self.ids[(lang, "news", i)]
            if lang == "ru" and i == self.seed_index:
                stories.append(_seed(ident))
                continue
            stories.append(self._story(lang, "news", ident, when, k))
            k += 1
        return stories

    def _other(self, lang: str, times: list[datetime]) -> list[Story]:
        return [
            self._story(lang, "other", self.ids[(lang, "other", i)], when, -1, title)
            for i, (when, title) in enumerate(zip(times, OTHER_TITLES[lang], strict=True))
        ]

    def _new(self, lang: str, times: list[datetime]) -> list[Story]:
        return [
            self._story(lang, "news", self.ids[(lang, "new", i)], when, -1)
            for i, when in enumerate(times)
        ]

    def _missing(self, lang: str) -> Story:
        after = self.news[lang][min(faults.MISSING_AFTER, self.n - 1)]
        ident = max(self.ids.values()) + 11 + LANGS.index(lang)
        story = self._story(lang, "news", ident, after.when, -1)
        return replace(story, roles=frozenset({faults.MISSING}))

    def _story(
        self, lang: str, section: str, ident: int, when: datetime, k: int, title: str = ""
    ) -> Story:
        """Build the article at list position ``k`` (``-1``: no position-based features)."""
        rng = self.rng[lang]
        title = title or self._title(lang)
        roles = faults.roles_for(lang, k)
        probe = PROBE_SENTENCES[lang][(k // 5) % 3] if k % 5 == 2 else None
        return Story(
            id=ident,
            lang=lang,
            section=section,
            style=_url_style(k),
            code=self._code(title),
            title=title,
            when=when,
            date_style=_date_style(k, roles),
            category=CATEGORIES[lang][_pick(rng, _CATEGORY_WEIGHTS)],
            paragraphs=_paragraphs(lang, rng, probe),
            views=_views(rng, k, roles),
            detail_image=None if k % 7 == 5 else _upload("iblock", ident),
            body_images=tuple(
                _upload("medialibrary", ident * 10 + i) for i in range((k % 4 == 1) + (k % 12 == 9))
            ),
            video=k >= 0 and k % 5 == 0,
            comments=rng.randrange(1, 12) if k % 10 == 5 else 0,
            modified=when + timedelta(minutes=rng.randrange(5, 600)),
            roles=roles,
        )

    def _title(self, lang: str) -> str:
        """A title not used before. The pools hold a few thousand combinations per
        language; once random draws keep colliding (the pool is nearly spent) a drawn
        title gets a number, so any number of articles can be generated."""
        rng = self.rng[lang]
        parts = title_parts(lang)
        for attempt in range(TITLE_DRAWS + 1):
            words = [rng.choice(pool) for pool in parts]
            title = " ".join(w for w in words if w)
            title = title[0].upper() + title[1:]
            if attempt == TITLE_DRAWS:
                base, n = title, 2
                while title in self.titles:
                    title, n = f"{base} ({n})", n + 1
            if title not in self.titles:
                self.titles.add(title)
                return title
        raise AssertionError("unreachable")

    def _code(self, title: str) -> str:
        code = base = slugify(title)
        n = 2
        while code in self.codes:
            code, n = f"{base}-{n}", n + 1
        self.codes.add(code)
        return code

    def snapshot(self, phase: int) -> Snapshot:
        news = {lang: self._list(lang, phase) for lang in LANGS}
        other = {lang: tuple(self.other[lang]) for lang in LANGS}
        real = [s for stories in news.values() for s in stories if faults.MISSING not in s.roles]
        real += [s for stories in other.values() for s in stories]
        return Snapshot(
            phase=phase,
            news=news,
            other=other,
            popular={lang: _popular(news[lang], other[lang]) for lang in LANGS},
            routes={s.path: s for s in real},
            ids={s.id: s for s in real},
        )

    def _list(self, lang: str, phase: int) -> tuple[Story, ...]:
        stories = list(self.news[lang])
        stories.insert(faults.MISSING_AFTER + 1, self.missing[lang])
        if phase == 1:
            return tuple(stories)
        return tuple(self.new[lang]) + tuple(_phase_2(s) for s in stories)


def _seed(ident: int) -> Story:
    """The seed article (``seed/article-example.txt``)."""
    return Story(
        id=ident,
        lang="ru",
        section="news",
        style="code",
        code=SEED_CODE,
        title=SEED_TITLE,
        when=SEED_WHEN,
        date_style="native",
        category=CATEGORIES["ru"][0],
        paragraphs=seed_paragraphs(),
        views=SEED_VIEWS,
        detail_image=_upload("iblock", ident),
        body_images=(),
        video=False,
        comments=0,
        modified=SEED_WHEN + timedelta(minutes=42),
    )


def _spread(count: int, rng: Random) -> list[datetime]:
    """``count`` publication times between START and END, newest first, 08:00-19:00."""
    span = (END - START).days
    times = []
    for i in range(count):
        days = span * (i + 0.1 + 0.8 * rng.random()) / count
        day = END - timedelta(days=int(days) + 1)
        minutes = int((1 - days % 1) * 11 * 60)
        times.append(day + timedelta(hours=8, minutes=minutes))
    return times


def _assign_ids(times: dict[str, dict[str, list[datetime]]]) -> dict[tuple[str, str, int], int]:
    """Bitrix element IDs: one counter for all iblocks, growing with publication time."""
    keys = sorted(
        (group == "new", when, lang, group, i)
        for lang, groups in times.items()
        for group, stamps in groups.items()
        for i, when in enumerate(stamps)
    )
    ids, ident = {}, 1480
    for *_, lang, group, i in keys:
        ident += 1 + (ident * 7919) % 3
        ids[(lang, group, i)] = ident
    return ids


def _url_style(k: int) -> str:
    if k >= 0 and k % 23 == 11:
        return "element"
    if k >= 0 and k % 9 == 4:
        return "id"
    return "code"


def _date_style(k: int, roles: frozenset[str]) -> str:
    for role in (faults.TODAY, faults.YESTERDAY, faults.UNDATED):
        if role in roles:
            return role
    if k >= 0 and k % 13 == 6:
        return f"alt{(k // 13) % 2}"
    return "native"


def _views(rng: Random, k: int, roles: frozenset[str]) -> int | None:
    if faults.NO_VIEWS in roles:
        return None
    if k == 1 or rng.random() < 0.3:
        return rng.randrange(1000, 30000)
    return rng.randrange(40, 1000)


def _paragraphs(lang: str, rng: Random, probe: str | None) -> tuple[str, ...]:
    """2-6 paragraphs of distinct sentences; ``probe`` ends the last paragraph."""
    count = rng.randrange(2, 7)
    per_paragraph = (count < 4) + (lang == "en")
    seen: set[str] = set()
    paragraphs = []
    for _ in range(count):
        patterns = rng.sample(_PATTERN_SLOTS[lang], rng.randrange(2, 4) + per_paragraph)
        paragraphs.append(" ".join(_sentence(lang, rng, p, seen) for p in patterns))
    if probe:
        paragraphs[-1] += " " + probe
    return tuple(paragraphs)


def _sentence(lang: str, rng: Random, pattern: tuple[str, list[str]], seen: set[str]) -> str:
    """Fill ``pattern`` with words of ``lang``; on a repeat of ``seen``, any pattern."""
    pools = POOLS[lang]
    while True:
        template, slots = pattern
        text = template.format_map({slot: _pick(rng, pools[slot]) for slot in slots})
        if text not in seen:
            seen.add(text)
            return text[0].upper() + text[1:]
        pattern = _pick(rng, _PATTERN_SLOTS[lang])


def _pick(rng: Random, items: Sequence[T]) -> T:
    """``rng.choice`` without its overhead (generation runs a few hundred thousand times)."""
    return items[int(rng.random() * len(items))]


def _upload(folder: str, key: int) -> str:
    """A Bitrix upload path ``/upload/<folder>/<3 hex>/<32 hex>.jpg`` for ``key``."""
    folder_hash = hashlib.md5(f"{folder}:{key}:dir".encode()).hexdigest()[:3]
    name = hashlib.md5(f"{folder}:{key}".encode()).hexdigest()
    return f"/upload/{folder}/{folder_hash}/{name}.jpg"


def _popular(news: tuple[Story, ...], other: tuple[Story, ...]) -> tuple[Story, ...]:
    """Five most-viewed recent news articles and two of the other section."""
    recent = [s for s in news[:40] if faults.MISSING not in s.roles and s.views]
    top = sorted(recent, key=lambda s: (-(s.views or 0), s.id))[:POPULAR_NEWS]
    return tuple(top) + other[:POPULAR_OTHER]


def _phase_2(story: Story) -> Story:
    """The phase-2 state of a phase-1 article: more views, maybe an edited body."""
    changes: dict = {}
    if story.views is not None:
        changes["views"] = story.views + 5 + story.id % 37
    if faults.EDITED in story.roles:
        first, *rest = story.paragraphs
        changes["paragraphs"] = (f"{first} {label(story.lang, 'edit')}", *rest)
        changes["modified"] = faults.EDIT_TIME
    return replace(story, **changes)
