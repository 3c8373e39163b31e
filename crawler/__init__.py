"""news-archive: an archive crawler for news sites built on 1C-Bitrix."""

__version__ = "0.1.0"
