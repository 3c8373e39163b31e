"""View-counter normalisation: ``"Просмотров: 1 234"`` -> ``1234``.

``parse_views(raw)`` returns the count as an int, or None when the text does not show
one exact count. Rules (we never store a silently wrong number):

* Digits may be grouped in thousands by a space (also no-break U+00A0, narrow no-break
  U+202F, thin U+2009), a comma or a dot: ``1 234``, ``1,234``, ``1.234``,
  ``1 234 567``. A group separator must be followed by exactly three digits and be the
  same all through the number. A view count is a whole number, so ``1.234`` or
  ``1,234`` cannot be a decimal here; ``1.2`` or ``1,25`` can only be an abbreviation
  and gives None, as does a mix such as ``1 234,5``.
* Abbreviated or approximate counts give None: ``1.2K``, ``12K``, ``1,2 тыс.``,
  ``3 млн``, ``5 мың``, ``1000+``, ``~500``, ``>1000``.
* A label (:data:`crawler.extract.vocabulary.VIEW_LABELS`) is ignored (``Просмотров:
  409``, ``Views: 409``, ``Hits: 409``, ``Қаралым саны: 409``, ``409 просмотров``).
  When the text holds more than one number, the one next to a view label is taken
  (``Просмотров: 409, комментариев: 3``); without a label it is ambiguous (``409 /
  12``, ``12 5``) and gives None.
* Negative numbers and counts above :data:`MAX_VIEWS` give None.

Imports :mod:`crawler.extract.vocabulary`.
"""

from __future__ import annotations

import re

from crawler.extract.vocabulary import (
    APPROXIMATE_UNITS,
    VIEW_LABEL_PARTICLES,
    VIEW_LABEL_TAILS,
    VIEW_LABELS,
    alternation,
)

__all__ = ["MAX_VIEWS", "parse_views"]

#: More views than this on one news article is a misreading, not a count.
MAX_VIEWS = 1_000_000_000

# A run of digits and in-number separators; it starts and ends with a digit.
_NUMBER_RE = re.compile(r"(?<![\w.,])\d(?:[\d\s.,]*\d)?")
_GROUPED_RE = re.compile(r"\d{1,3}(?:(?P<sep>[ .,])\d{3})(?:(?P=sep)\d{3})*")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
# Signs before a number, units and markers after it, that make it negative or approximate.
_SIGNS = frozenset("-−–~≈<>±")
_APPROX_AFTER_RE = re.compile(
    rf"\s*(?:\+|(?:{alternation(APPROXIMATE_UNITS)})(?![^\W\d_]))", re.IGNORECASE
)
# A view label right before a number ("Просмотров: 409", "Қаралым саны: 409") or right
# after it ("409 просмотров", "409 рет қаралды"); a comma ends the label's reach, and a
# label with a colon only points forward ("24.08.2022 Просмотров: 409").
_LABEL = rf"(?:{alternation(VIEW_LABELS)})(?![^\W\d_])"
_AFTER_LABEL = rf"(?:\s+(?:{alternation(VIEW_LABEL_TAILS)}))?"
_LABEL_BEFORE_RE = re.compile(_LABEL + _AFTER_LABEL + r"[\s:]*$", re.IGNORECASE)
_LABEL_AFTER_RE = re.compile(
    rf"\s*(?:(?:{alternation(VIEW_LABEL_PARTICLES)})\s+)?{_LABEL}(?!{_AFTER_LABEL}\s*:)",
    re.IGNORECASE,
)


def _value(m: re.Match[str], raw: str) -> int | None:
    """The count one number run shows, or None when it is not one exact count."""
    start = m.start()
    if (start and raw[start - 1] in _SIGNS) or _APPROX_AFTER_RE.match(raw, m.end()):
        return None
    digits = m.group()
    if not digits.isdigit():
        grouped = digits.translate(_SPACES)
        if not _GROUPED_RE.fullmatch(grouped):
            return None
        digits = grouped.replace(grouped[-4], "")
    n = int(digits)
    return n if n <= MAX_VIEWS else None


def parse_views(raw: str | None) -> int | None:
    """Return the view count shown in ``raw``, or None when there is no exact one."""
    if not raw:
        return None
    numbers = list(_NUMBER_RE.finditer(raw))
    if len(numbers) == 1:
        return _value(numbers[0], raw)
    labelled = [
        m
        for m in numbers
        if _LABEL_BEFORE_RE.search(raw, 0, m.start()) or _LABEL_AFTER_RE.match(raw, m.end())
    ]
    return _value(labelled[0], raw) if len(labelled) == 1 else None
