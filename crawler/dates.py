"""Date normalisation (STUB: being replaced by the full implementation)."""

from __future__ import annotations

import re
from datetime import datetime

_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def find_date(text: str) -> str | None:
    """Return the part of ``text`` that looks like a date, or None."""
    m = _NUMERIC.search(text or "")
    return m.group(0) if m else None


def parse_date(raw: str | None, lang: str | None = None, now: datetime | None = None) -> str | None:
    """Return ISO 8601 for ``raw`` or None when it cannot be read."""
    m = _NUMERIC.search(raw or "")
    if not m:
        return None
    d, mo, y = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"
