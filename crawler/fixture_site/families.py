"""The markup families by name, and which family each language uses per ``layout``.

Imports :mod:`.templates` and :mod:`.unseen`.
"""

from __future__ import annotations

from .templates import CustomFamily, DefaultFamily, Family, ModernFamily
from .unseen import ListDatedFamily, ReverseFamily

FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (DefaultFamily(), CustomFamily(), ModernFamily(), ReverseFamily(), ListDatedFamily())
}

#: Which family each language uses, per ``layout``. ``reverse``: every list numbered
#: backwards; ``unseen``: dates on the lists only (ru, en) and a reverse-numbered list (kk).
LAYOUTS = {
    "default": {"ru": "default", "kk": "default", "en": "default"},
    "custom": {"ru": "custom", "kk": "custom", "en": "custom"},
    "modern": {"ru": "modern", "kk": "modern", "en": "modern"},
    "mixed": {"ru": "custom", "kk": "default", "en": "modern"},
    "reverse": {"ru": "reverse", "kk": "reverse", "en": "reverse"},
    "unseen": {"ru": "listdated", "kk": "reverse", "en": "listdated"},
}
