"""Shared fixtures. Append new ones below; keep them generic."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.archive.store import ArchiveStore
from crawler.items import Article

#: A small archive in three languages: multi-line Cyrillic and Kazakh bodies, inflected
#: forms, a missing date and missing view counts, text a spreadsheet would run.
SAMPLE_ARTICLES = [
    Article(
        url="https://assembly.kz/ru/news/seminar/",
        lang="ru",
        title="Семинар в Индерском районе",
        published="2022-08-24",
        published_raw="24 Августа, 2022",
        views=409,
        views_raw="409",
        body="Координатор по медиации рассказала о работе.\n\n"
        "Совет общественного согласия обсудил итоги.",
        category="Ассамблея народа Казахстана",
        image_urls=["https://assembly.kz/upload/iblock/abc/1.jpg"],
        fetched_at="2026-11-20T10:00:00Z",
    ),
    Article(
        url="https://assembly.kz/ru/news/kurs/",
        lang="ru",
        title="=Курс по медиацию",
        published="2023-01-15T10:15",
        published_raw="15.01.2023 10:15",
        views=None,
        views_raw=None,
        body="-Первый абзац; «кавычки», запятые.\n\nВторой абзац про медиацию.",
        category=None,
        image_urls=[],
        fetched_at="2026-11-20T10:00:00Z",
    ),
    Article(
        url="https://assembly.kz/kz/news/parlament/",
        lang="kk",
        title="Парламенттің отырысы",
        published="2023-02-01",
        published_raw="1 Ақпан, 2023",
        views=12,
        views_raw="12",
        body="Қазақстан халқы Ассамблеясының депутаттары парламентте сөйледі.\n\n"
        "Елімізде бірлік пен келісім бар.",
        category="Жаңалықтар",
        image_urls=["https://assembly.kz/upload/iblock/def/2.jpg", "https://x/3.jpg"],
        fetched_at="2026-11-20T10:00:00Z",
    ),
    Article(
        url="https://assembly.kz/en/news/unity/",
        lang="en",
        title="@Unity day",
        published=None,
        published_raw="someday",
        views=None,
        views_raw="—",
        body="The Assembly held a mediation seminar.",
        category=None,
        image_urls=[],
        fetched_at="2026-11-21T10:00:00Z",
    ),
]


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    """An archive file holding :data:`SAMPLE_ARTICLES`, closed again."""
    path = tmp_path / "archive.db"
    store = ArchiveStore(path)
    store.save_articles(SAMPLE_ARTICLES)
    store.close()
    return path
