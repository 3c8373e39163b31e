"""How values read on the page: dates and view counters, shared by rendering and the
expected records (so the two can never disagree).

Imports :mod:`.faults`, :mod:`.content`, :mod:`.words`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from . import faults
from .content import Story
from .words import MONTHS, label

NBSP = "\u00a0"
_CLOCK = {faults.TODAY: faults.TODAY_TIME, faults.YESTERDAY: faults.YESTERDAY_TIME}


@dataclass(frozen=True)
class DateText:
    """A date as shown (``text``) and its ISO form (``iso``, None when unreadable)."""

    text: str
    iso: str | None


def show_date(story: Story, native: str, today: date) -> DateText:
    """The date of ``story`` in the layout's ``native`` style (``custom``, ``default``,
    ``modern``) unless the story carries its own style; relative dates count from ``today``.
    """
    style = story.date_style
    if style == faults.UNDATED:
        return DateText(label(story.lang, "undated"), None)
    if style in _CLOCK:
        return _relative(story.lang, style, today)
    if style == "native":
        style = native
    text, timed = _FORMATS[style](story.lang, story.when)
    iso = story.when.strftime("%Y-%m-%dT%H:%M" if timed else "%Y-%m-%d")
    return DateText(text, iso)


def effective_time(story: Story, today: date) -> datetime:
    """The publication time a reader would infer (relative dates resolved)."""
    if story.date_style in _CLOCK:
        return _relative_time(story.date_style, today)
    return story.when


def number(views: int) -> str:
    """A count with no-break spaces between thousands (as ``1&nbsp;234`` reads)."""
    return f"{views:,}".replace(",", NBSP)


def views_raw(views: int | None, prefix: str) -> str | None:
    """The counter text an extractor reads: ``prefix`` + number, whitespace-normalised."""
    if views is None:
        return None
    return " ".join(f"{prefix} {number(views)}".split())


def _relative(lang: str, style: str, today: date) -> DateText:
    when = _relative_time(style, today)
    return DateText(f"{label(lang, style)}, {when:%H:%M}", when.strftime("%Y-%m-%dT%H:%M"))


def _relative_time(style: str, today: date) -> datetime:
    day = today - timedelta(days=style == faults.YESTERDAY)
    return datetime.combine(day, time(*_CLOCK[style]))


def _custom(lang: str, when: datetime) -> tuple[str, bool]:
    month = MONTHS[lang][when.month - 1].capitalize()
    if lang == "en":
        return f"{month} {when.day}, {when.year}", False
    return f"{when.day} {month}, {when.year}", False


def _default(lang: str, when: datetime) -> tuple[str, bool]:
    return f"{when:%d.%m.%Y}", False


def _modern(lang: str, when: datetime) -> tuple[str, bool]:
    return f"{when:%d.%m.%Y %H:%M}", True


def _alt0(lang: str, when: datetime) -> tuple[str, bool]:
    """``24 августа 2022 г., 14:30`` / ``24.08.2022 14:30`` / ``24 August 2022``."""
    if lang == "ru":
        return f"{when.day} {MONTHS['ru'][when.month - 1]} {when.year} г., {when:%H:%M}", True
    if lang == "kk":
        return f"{when:%d.%m.%Y %H:%M}", True
    return f"{when.day} {MONTHS['en'][when.month - 1]} {when.year}", False


def _alt1(lang: str, when: datetime) -> tuple[str, bool]:
    """``24 августа 2022`` / ``24 тамыз 2022`` / ``24.08.2022 14:30``."""
    if lang == "en":
        return f"{when:%d.%m.%Y %H:%M}", True
    return f"{when.day} {MONTHS[lang][when.month - 1]} {when.year}", False


_FORMATS = {
    "custom": _custom,
    "default": _default,
    "modern": _modern,
    "alt0": _alt0,
    "alt1": _alt1,
}
