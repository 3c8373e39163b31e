"""news-archive: an archive crawler for news sites built on 1C-Bitrix.

Imports the standard library only.
"""

__version__ = "0.1.0"
