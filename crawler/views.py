"""View-counter normalisation (STUB: being replaced by the full implementation)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d[\d\s\u00a0]*")


def parse_views(raw: str | None) -> int | None:
    """Return the view count in ``raw`` or None when it cannot be read."""
    m = _DIGITS.search(raw or "")
    return int(re.sub(r"\D", "", m.group(0))) if m else None
