"""Date normalisation: page text such as ``"24 Августа, 2022"`` -> ISO 8601.

Public API
----------
``parse_date(raw, lang=None, now=None)``
    ISO date ``"2022-08-24"``, or date-time ``"2022-08-24T14:30"`` when the text shows a
    clock time (``":SS"`` added only when seconds are printed). ``None`` when the text
    cannot be read: we never guess (no "current year" for ``"24 августа"``, no month for
    ``"2022"``, no swapped day/month for ``"08/24/2022"``).
``find_date(text)``
    The substring of ``text`` that is the date, as printed (time included when it
    follows the date), for extraction code that must locate a date in a text node.
``is_date_line(text)``
    True when the whole text is essentially a date, optionally behind a label
    (``"Дата публикации: 24.08.2022"``).
``day_and_month(text)``
    ``(day, month)`` of a date printed without a year (``"24 авг"``, ``"24.08"``,
    ``"Aug 24"``), to check it against a machine-readable date; never completed into a
    date.

Fast path (one compiled regex + a month table; 2-5 µs a call)
-------------------------------------------------------------
* ``24.08.2022``, ``24/08/2022``, ``24-08-2022``: always day first.
  Two-digit years ``24.08.22`` / ``24/08/22`` are read only with two-digit day and month;
  the century is the one that does not put the year after ``now`` (``22`` -> 2022 in 2024,
  ``30`` -> 1930 in 2024): an article is not published in the future.
* ``2022-08-24`` (ISO; also ``2022.08.24``, ``2022/08/24``) with an optional
  ``T14:30[:00][.fff][Z|+06:00]`` (the offset is dropped: we keep the time as printed).
* ``24 августа 2022``, ``24 Августа, 2022``, ``24-го августа 2022 г.``,
  ``24 Тамыз, 2022``, ``24 тамызда 2022``, ``24 August 2022``, ``24th Aug. 2022``.
* ``August 24, 2022``, ``Aug 24 2022``, ``Aug. 24th, 2022`` (English month first).
* Kazakh year-first ``2022 жылғы 24 тамыз`` / ``2022 ж. 24 тамызда``.
* Relative ``Сегодня`` / ``Вчера`` / ``Позавчера``, ``Today`` / ``Yesterday``,
  ``Бүгін`` / ``Кеше``, anchored on ``now``. Without a clock time such a word counts
  as a date only when it stands alone (optionally behind a label): ``"Сегодня в Астане
  прошла встреча"`` is not a date.
* Any of these followed by a time: ``10:15``, ``, 14:30``, `` г., 14:30``, `` в 14:30``,
  ``at 2:30 PM``, ``| 10:15``; or preceded by one: ``10:15 24.08.2022``.

Months: Russian nominative and genitive (``август``/``августа``, ``май``/``мая``) and
abbreviations (``авг``, ``сент.``, ``нояб.``), any capitalisation, ``ё`` = ``е``; Kazakh
nominative (``қаңтар`` … ``желтоқсан``) also when typed without Kazakh letters
(``Кантар``, ``Акпан``, ``Сэуір``, ``Сәуiр`` with a Latin ``i``) and with case suffixes
(``тамызда``, ``тамыздағы``, ``тамызы``, ``тамыздың``); English full names and
abbreviations (``Aug``, ``Sept``).

Text around the date is ignored by ``parse_date`` (``"Опубликовано: 24.08.2022"``).
A text that has the shape of a date but impossible values (``31.02.2022``, month 13,
``25:70``) gives ``None`` and is not handed to the fallback.

Fallback: dateparser
--------------------
Only when the fast path finds nothing date-shaped, a short text (≤ 64 characters, a
leading ``"Label:"`` removed) goes to :func:`dateparser.parse`, restricted to
``ru``/``kk``/``en`` (the ``lang`` hint first), ``DATE_ORDER=DMY`` and
``STRICT_PARSING`` (day, month and year must all be present, so ``"Август"`` or
``"2022"`` give ``None``). Its timestamp parser is disabled (``"1661337000"`` is not a
date on a news page). This catches rarer wordings (``"ср, 24 авг 2022"`` is fast-path,
but ``"24 08 2022"``, ``"2 дня назад"``, ``"24 августа 22"`` are not). The time is kept
only when the text prints a clock time. dateparser is imported lazily: the import and
first call cost ~170 ms, later calls ~1-3 ms, which is why it is not the main path.
:func:`find_date` and :func:`is_date_line` use the fast path only (dateparser does not
report where the date is).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from crawler.extract.vocabulary import (
    DATE_LABELS,
    EN_MONTHS,
    KAZAKH_FOLD,
    KK_MONTH_SUFFIXES,
    KK_MONTHS,
    RELATIVE_DAYS,
    RELATIVE_SPELLINGS,
    RU_MONTHS,
    alternation,
)

__all__ = ["day_and_month", "find_date", "is_date_line", "parse_date"]

#: Years accepted as an article date; anything else is a misreading.
MIN_YEAR, MAX_YEAR = 1800, 2199

_FOLD = str.maketrans(KAZAKH_FOLD)


def _build_months() -> dict[str, int]:
    table: dict[str, int] = {}
    for n, forms in enumerate(RU_MONTHS, 1):
        for form in forms:
            table[form] = n
    for n, forms in enumerate(EN_MONTHS, 1):
        for form in forms:
            table[form] = n
    for n, name in enumerate(KK_MONTHS, 1):
        for stem in {name, name.translate(_FOLD)}:
            table[stem] = n
            for suffix in KK_MONTH_SUFFIXES:
                table.setdefault(stem + suffix, n)
    return table


_MONTHS = _build_months()

_RELATIVE = RELATIVE_DAYS
#: The relative words as the pattern accepts them (any letter case).
_RELATIVE_WORDS = "|".join(sorted(set(RELATIVE_SPELLINGS), key=len, reverse=True))
#: Letters a relative word may start with (the pattern's quick first-character test).
_RELATIVE_INITIALS = "".join(
    sorted({c for word in RELATIVE_SPELLINGS for c in (word[0], word[0].upper())})
)

# No re.IGNORECASE: it is ~20% slower here; letters that may be capitalised are spelled
# out, month words are looked up lower-cased. Branches are grouped behind a cheap
# first-character test, so a position that cannot start a date fails fast.
_DATE_RE = re.compile(
    r"""
    (?:
        (?=\d)
        (?:(?<![\d:])(?P<lh>\d{1,2}):(?P<lmi>\d{2})\s*[,|/–—-]?\s*)?   # time before the date
        (?:
            (?<![\d.])(?P<nd>\d{1,2})(?P<ns>[./])(?P<nm>\d{1,2})(?P=ns)(?P<ny>\d{4}|\d{2})
                (?!\d|[./]\d)                                     # 24.08.2022, 24/08/22
          | (?<![\d.])(?P<td>\d{1,2})(?:-?го|st|nd|rd|th)?[\s/-]*
                (?P<tm>[^\W\d_]{3,15})\.?[\s,/-]*(?P<ty>\d{4})(?!\d)   # 24 августа 2022
          | (?<![\d.-])(?P<iy>\d{4})(?P<is>[-./])(?P<im>\d{1,2})(?P=is)(?P<id>\d{1,2})
                (?!\d|[./-]\d)                                    # 2022-08-24
          | (?<![\d.-])(?P<hd>\d{1,2})-(?P<hm>\d{1,2})-(?P<hy>\d{4})(?!\d)      # 24-08-2022
          | (?<!\d)(?P<ky>\d{4})\s*(?:[жЖ]\.|[жЖ]ыл[^\W\d_]*)\s*(?P<kd>\d{1,2})[\s-]*
                (?P<km>[^\W\d_]{3,15})(?![^\W\d_])                # 2022 жылғы 24 тамыз
        )
      | (?=[a-zA-ZRELATIVE_INITIALS])(?<![^\W\d_])
        (?:
            (?P<em>[a-zA-Z]{3,9})\.?[\s-]*(?P<ed>\d{1,2})(?:st|nd|rd|th)?,?[\s-]*
                (?P<ey>\d{4})(?!\d)                               # August 24, 2022
          | (?P<rel>(?i:RELATIVE_WORDS))(?![^\W\d_])            # Сегодня, Кеше
        )
    )
    (?:                                                           # time after the date
        (?=[\s,|/–—гГжЖ-]|T\d)                                    # quick exit: no time follows
        (?>\s*(?:(?:[гГ]ода|[гГ]\.?|[жЖ]ыл[^\W\d_]*|[жЖ]\.?)(?![^\W\d_])\s*)?)   # г., года
        (?:T|(?>[,|/–—-]?\s*)(?:(?:[вВ]|at|AT|[сС]ағ(?:ат|\.)?)\s*)?)  # ", ", " в ", " at "
        (?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?(?!\d)
        (?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?
        (?:\s*(?P<ap>[aApP]\.?[mM]\.?)(?![^\W\d_]))?
    )?
    """.replace("RELATIVE_WORDS", _RELATIVE_WORDS).replace("RELATIVE_INITIALS", _RELATIVE_INITIALS),
    re.VERBOSE,
)
_G = _DATE_RE.groupindex
(_LH, _LMI, _ND, _NM, _NY, _TD, _TM, _TY, _IY, _IM, _ID, _HD, _HM, _HY, _KY, _KD, _KM) = (
    _G[n] - 1 for n in "lh lmi nd nm ny td tm ty iy im id hd hm hy ky kd km".split()
)
_EM, _ED, _EY, _REL, _HH, _MI, _SS, _AP = (_G[n] - 1 for n in "em ed ey rel hh mi ss ap".split())

#: What may stand before a date on a "date line": symbols, a label, a weekday ("ср, ").
_LABEL_RE = re.compile(
    r"[\W_]*(?:(?:[^\W\d_][^\d:\n]{0,40}:|[^\W\d_]{2,11},"
    rf"|(?:{alternation(DATE_LABELS)})(?![^\W\d_]))[\W_]*)?",
    re.IGNORECASE,
)
#: What may follow a date on a "date line": symbols, a year marker.
_TAIL_RE = re.compile(r"[\W_]*(?:(?:г|года|ж|жылы?|жылғы)(?![^\W\d_])[\W_]*)?", re.IGNORECASE)

_CLOCK_RE = re.compile(r"(?<!\d)\d{1,2}:\d{2}(:\d{2})?(?!\d)")
_FALLBACK_LABEL_RE = re.compile(r"^[^\d:]{1,40}:\s*")
_FALLBACK_MAX_LEN = 64
_LANGS = ("ru", "kk", "en")
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_2D = [f"{i:02d}" for i in range(60)]
#: "7" / "07" -> 7 for one- and two-digit groups (a dict lookup is 4x faster than int()).
_NUM = {**{str(i): i for i in range(10)}, **{f"{i:02d}": i for i in range(100)}}


def _month(word: str) -> int | None:
    word = word.lower()
    return _MONTHS.get(word) or _MONTHS.get(word.translate(_FOLD))


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now()


def _read(m: re.Match[str], text: str, now: datetime | None) -> str | bool:
    """ISO text of one regex match; False: not a date; True: a date with impossible values."""
    try:
        g = m.groups()
        if (v := g[_ND]) is not None:
            d, mo, ys = _NUM[v], _NUM[g[_NM]], g[_NY]
            if len(ys) == 2:
                if len(v) != 2 or len(g[_NM]) != 2:
                    return False
                y = 2000 + _NUM[ys]
                if y > _now(now).year:
                    y -= 100
            else:
                y = int(ys)
        elif (v := g[_TD]) is not None:
            mo = _month(g[_TM])
            if mo is None:
                return False
            d, y = _NUM[v], int(g[_TY])
        elif (v := g[_EM]) is not None:
            mo = _month(v)
            if mo is None:
                return False
            d, y = _NUM[g[_ED]], int(g[_EY])
        elif (v := g[_IY]) is not None:
            y, mo, d = int(v), _NUM[g[_IM]], _NUM[g[_ID]]
        elif (v := g[_HD]) is not None:
            d, mo, y = _NUM[v], _NUM[g[_HM]], int(g[_HY])
        elif (v := g[_KY]) is not None:
            mo = _month(g[_KM])
            if mo is None:
                return False
            d, y = _NUM[g[_KD]], int(v)
        else:
            back = _RELATIVE[g[_REL].lower().translate(_FOLD)]
            if g[_HH] is None:
                # A bare "Сегодня" is a date only when it is the whole line.
                if not (
                    _LABEL_RE.fullmatch(text, 0, m.start()) and _TAIL_RE.fullmatch(text, m.end())
                ):
                    return True
            day = _now(now).date() - timedelta(days=back)
            y, mo, d = day.year, day.month, day.day
        if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= mo <= 12 and 1 <= d <= _DAYS_IN_MONTH[mo]):
            return True
        if mo == 2 and d == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
            return True

        if (hs := g[_HH]) is not None:
            if g[_LH] is not None:
                return True  # a time on both sides: which one is it?
            hh, mi = _NUM[hs], _NUM[g[_MI]]
            ss = _NUM[g[_SS]] if g[_SS] is not None else None
            if (ap := g[_AP]) is not None:
                if not 1 <= hh <= 12:
                    return True
                hh = hh % 12 + (12 if ap[0] in "pP" else 0)
        elif (hs := g[_LH]) is not None:
            hh, mi, ss = _NUM[hs], _NUM[g[_LMI]], None
        else:
            return f"{y}-{_2D[mo]}-{_2D[d]}"
        if hh > 23 or mi > 59:
            return True
        if ss is None:
            return f"{y}-{_2D[mo]}-{_2D[d]}T{_2D[hh]}:{_2D[mi]}"
        if ss > 59:
            return True
        return f"{y}-{_2D[mo]}-{_2D[d]}T{_2D[hh]}:{_2D[mi]}:{_2D[ss]}"
    except KeyError:  # a non-ASCII digit (\d is Unicode-aware): not a date we know
        return False


def _scan(text: str, now: datetime | None) -> tuple[re.Match[str] | None, str | bool]:
    """First readable date in ``text``: (match, ISO), or (None, saw_impossible_date)."""
    impossible = False
    pos = 0
    search = _DATE_RE.search
    while (m := search(text, pos)) is not None:
        iso = _read(m, text, now)
        if iso is True:
            impossible = True
        elif iso is not False:
            return m, iso
        pos = m.start() + 1
    return None, impossible


def parse_date(raw: str | None, lang: str | None = None, now: datetime | None = None) -> str | None:
    """Return ``raw`` as ISO 8601 (date, or date-time when a time is shown), else None.

    ``lang`` (``ru``/``kk``/``en``) is a hint for the dateparser fallback; ``now``
    (default: the current local time) anchors "Сегодня"/"Вчера" and two-digit years.
    """
    if not raw:
        return None
    m = _DATE_RE.search(raw)
    if m is not None and type(iso := _read(m, raw, now)) is str:
        return iso  # the common case: the first candidate is the date
    m, iso = _scan(raw, now)
    if m is not None:
        return iso  # type: ignore[return-value]
    if iso:  # date-shaped but impossible: do not let dateparser reinterpret it
        return None
    return _parse_with_dateparser(raw, lang, now)


def _languages(lang: str | None) -> list[str]:
    hint = (lang or "").lower()[:2]
    hint = "kk" if hint == "kz" else hint
    if hint in _LANGS:
        return [hint, *(x for x in _LANGS if x != hint)]
    return list(_LANGS)


def _parse_with_dateparser(
    raw: str, lang: str | None = None, now: datetime | None = None
) -> str | None:
    """The slow path: dateparser, restricted and strict (see the module docstring)."""
    text = _FALLBACK_LABEL_RE.sub("", raw.strip(), count=1)
    if not text or len(text) > _FALLBACK_MAX_LEN:
        return None
    import dateparser  # lazy: ~170 ms on first use

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": _now(now),
        "STRICT_PARSING": True,
        "PARSERS": ["relative-time", "custom-formats", "absolute-time"],
    }
    dt = dateparser.parse(text, languages=_languages(lang), settings=settings)
    if dt is None or not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    clock = _CLOCK_RE.search(text)
    if clock is None:
        return dt.strftime("%Y-%m-%d")
    return dt.strftime("%Y-%m-%dT%H:%M:%S" if clock.group(1) else "%Y-%m-%dT%H:%M")


def find_date(text: str) -> str | None:
    """Return the substring of ``text`` that is a date (with its time), or None.

    Uses the fast path only; the first readable date wins. ``"в 2022 году"`` or a
    bare number is not a date.
    """
    if not text:
        return None
    m, _ = _scan(text, None)
    return m.group(0) if m is not None else None


def is_date_line(text: str) -> bool:
    """True when ``text`` is essentially one date, maybe behind a label ("Дата: ...")."""
    if not text or len(text) > 120:
        return False
    m, _ = _scan(text, None)
    return (
        m is not None
        and _LABEL_RE.fullmatch(text, 0, m.start()) is not None
        and _TAIL_RE.fullmatch(text, m.end()) is not None
    )


_DAY_MONTH_RE = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})(?:-?го|st|nd|rd|th)?[\s/-]*(?P<m>[^\W\d_]{3,15})"
    r"|(?<![\d.])(?P<nd>\d{1,2})[./](?P<nm>\d{1,2})(?![\d])"
    r"|(?<![^\W\d_])(?P<em>[a-zA-Z]{3,9})\.?\s*(?P<ed>\d{1,2})(?!\d)"
)


def day_and_month(text: str | None) -> tuple[int, int] | None:
    """``(day, month)`` of the first day-and-month in ``text`` (``"24 авг"`` → ``(24, 8)``),
    None when there is none. A full date gives its day and month too."""
    for m in _DAY_MONTH_RE.finditer(text or ""):
        if m.group("d"):
            day, month = int(m.group("d")), _month(m.group("m"))
        elif m.group("nd"):
            day, month = int(m.group("nd")), int(m.group("nm"))
        else:
            day, month = int(m.group("ed")), _month(m.group("em"))
        if month and 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month]:
            return day, month
    return None
