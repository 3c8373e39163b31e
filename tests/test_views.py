"""Tests for crawler.extract.views.parse_views."""

from __future__ import annotations

import pytest

from crawler.extract.views import MAX_VIEWS, parse_views


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("409", 409),
        ("0", 0),
        (" 409 ", 409),
        ("\n\t409\n", 409),
        # Thousands groups: any space, comma or dot, followed by exactly three digits.
        ("1\u00a0234", 1234),
        ("1 234", 1234),
        ("1\u202f234", 1234),
        ("1\u2009234", 1234),
        ("1,234", 1234),
        ("1.234", 1234),
        ("12 345", 12345),
        ("123 456", 123456),
        ("1 234 567", 1234567),
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        # Labels.
        ("Просмотров: 409", 409),
        ("Просмотры: 409", 409),
        ("Просмотры 409", 409),
        ("Количество просмотров: 1 234", 1234),
        ("Количество просмотров: 1\u00a0234", 1234),
        ("Views: 409", 409),
        ("views 409", 409),
        ("Viewed 409 times", 409),
        ("409 views", 409),
        ("Қаралым саны: 409", 409),
        ("Қаралым: 1 234", 1234),
        ("409 рет қаралды", 409),
        ("409 просмотров", 409),
        ("409просмотров", 409),
        ("👁 409", 409),
        ("👁409", 409),
        # Several numbers: the one next to a view label wins.
        ("Просмотров: 409, комментариев: 3", 409),
        ("Просмотров: 409 Комментариев: 12", 409),
        ("409 просмотров, 3 комментария", 409),
        ("Комментарии: 3 | Просмотров: 1 234", 1234),
        ("Просмотров: 1 234 (сегодня: 12)", 1234),
        ("24.08.2022 Просмотров: 409", 409),
    ],
)
def test_parse_views(raw: str, expected: int) -> None:
    assert parse_views(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "—",
        "-",
        "нет",
        "Просмотров: —",
        "Views: n/a",
        # Abbreviated or approximate: never a silently wrong value.
        "1.2K",
        "1.2k",
        "12K",
        "1,2 тыс.",
        "12 тыс.",
        "1,2 млн",
        "3 млн",
        "1.5M",
        "5 мың",
        "1,2к",
        "1000+",
        "~500",
        "≈500",
        ">1000",
        # Decimals: a separator not followed by exactly three digits.
        "1.2",
        "1,25",
        "1.2345",
        "12 5",
        "1 23",
        "1 2345",
        "1234 567",
        "1  234",
        # Mixed separators.
        "1,234.567",
        "1 234,5",
        "1.234,56",
        # Two numbers and nothing says which is the count.
        "409 / 12",
        "409 12",
        "409\n12",
        "12 | 409",
        "Просмотров за 24 часа: 409",
        # Not a count at all.
        "24.08.2022",
        "10:15",
        # Negative and absurd.
        "-5",
        "−5",
        "Просмотров: -409",
        str(MAX_VIEWS + 1),
        "99 999 999 999",
    ],
)
def test_parse_views_none(raw: str | None) -> None:
    assert parse_views(raw) is None


def test_max_views_is_accepted() -> None:
    assert parse_views(str(MAX_VIEWS)) == MAX_VIEWS
