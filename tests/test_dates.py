"""Tests for crawler.extract.dates: table tests, find_date, and fast path == dateparser."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from crawler.extract import dates, vocabulary
from crawler.extract.dates import find_date, is_date_line, parse_date

NOW = datetime(2024, 3, 15, 12, 0)


@pytest.fixture
def fast_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the dateparser fallback is reached."""

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"dateparser fallback used for {args!r}")

    monkeypatch.setattr(dates, "_parse_with_dateparser", fail)


# Forms the fast path must read on its own (the `fast_only` fixture proves it).
FAST_CASES = [
    # As printed on assembly.kz and on Bitrix sites in general.
    ("24 Августа, 2022", "2022-08-24"),
    ("24 августа 2022", "2022-08-24"),
    ("24 АВГУСТА 2022", "2022-08-24"),
    ("24.08.2022", "2022-08-24"),
    ("24/08/2022", "2022-08-24"),
    ("24-08-2022", "2022-08-24"),
    ("1.8.2022", "2022-08-01"),
    ("2022-08-24", "2022-08-24"),
    ("2022.08.24", "2022-08-24"),
    ("24 августа 2022 г., 14:30", "2022-08-24T14:30"),
    ("24 августа 2022 года, 14:30", "2022-08-24T14:30"),
    ("24 августа 2022 в 14:30", "2022-08-24T14:30"),
    ("24.08.2022 10:15", "2022-08-24T10:15"),
    ("24.08.2022, 10:15", "2022-08-24T10:15"),
    ("24.08.2022 | 10:15", "2022-08-24T10:15"),
    ("24.08.2022 10:15:33", "2022-08-24T10:15:33"),
    ("24.08.2022 0:05", "2022-08-24T00:05"),
    ("10:15 24.08.2022", "2022-08-24T10:15"),
    ("14:30, 24 августа 2022", "2022-08-24T14:30"),
    ("2022-08-24T14:30", "2022-08-24T14:30"),
    ("2022-08-24T14:30:00+06:00", "2022-08-24T14:30:00"),
    ("2022-08-24 14:30:05.123Z", "2022-08-24T14:30:05"),
    ("24-го августа 2022", "2022-08-24"),
    # Russian months: nominative, genitive, abbreviated, any case.
    ("1 января 2021", "2021-01-01"),
    ("1 январь 2021", "2021-01-01"),
    ("1 янв. 2021", "2021-01-01"),
    ("28 февраля 2021", "2021-02-28"),
    ("28 февр. 2021", "2021-02-28"),
    ("28 фев 2021", "2021-02-28"),
    ("8 марта 2021", "2021-03-08"),
    ("8 мар 2021", "2021-03-08"),
    ("12 апреля 2021", "2021-04-12"),
    ("1 мая 2022", "2022-05-01"),
    ("1 май 2022", "2022-05-01"),
    ("1 МАЯ 2022", "2022-05-01"),
    ("12 июня 2021", "2021-06-12"),
    ("12 июн 2021", "2021-06-12"),
    ("6 июля 2021", "2021-07-06"),
    ("6 Июль 2021", "2021-07-06"),
    ("24 авг 2022", "2022-08-24"),
    ("24 авг. 2022", "2022-08-24"),
    ("1 сентября 2021", "2021-09-01"),
    ("1 сент. 2021", "2021-09-01"),
    ("1 сен 2021", "2021-09-01"),
    ("25 октября 2021", "2021-10-25"),
    ("7 ноября 2021", "2021-11-07"),
    ("7 нояб. 2021", "2021-11-07"),
    ("16 декабря 2021", "2021-12-16"),
    ("16 Дек 2021", "2021-12-16"),
    ("ср, 24 авг 2022", "2022-08-24"),
    # Kazakh months as printed (nominative), lower case, upper case.
    ("24 Тамыз, 2022", "2022-08-24"),
    ("24 тамыз, 2022", "2022-08-24"),
    ("24 ТАМЫЗ 2022", "2022-08-24"),
    ("5 Қаңтар, 2021", "2021-01-05"),
    ("5 Ақпан, 2021", "2021-02-05"),
    ("5 Наурыз, 2021", "2021-03-05"),
    ("5 Сәуір, 2021", "2021-04-05"),
    ("5 Мамыр, 2021", "2021-05-05"),
    ("5 Маусым, 2021", "2021-06-05"),
    ("5 Шілде, 2021", "2021-07-05"),
    ("5 Қыркүйек, 2021", "2021-09-05"),
    ("5 Қазан, 2021", "2021-10-05"),
    ("5 Қараша, 2021", "2021-11-05"),
    ("5 Желтоқсан, 2021", "2021-12-05"),
    ("5 ҚАҢТАР 2021", "2021-01-05"),
    # ... typed without Kazakh letters, or with a Latin "i".
    ("5 Кантар 2021", "2021-01-05"),
    ("5 Акпан 2021", "2021-02-05"),
    ("5 Сэуір 2021", "2021-04-05"),
    ("5 Сәуiр 2021", "2021-04-05"),
    ("5 Сауир 2021", "2021-04-05"),
    ("5 Шилде 2021", "2021-07-05"),
    ("5 Кыркуйек 2021", "2021-09-05"),
    ("5 Желтоксан 2021", "2021-12-05"),
    # ... with case endings, and year first (the standard Kazakh order).
    ("24 тамызда 2022", "2022-08-24"),
    ("24 тамыздағы 2022", "2022-08-24"),
    ("5 қыркүйекте 2021", "2021-09-05"),
    ("2022 жылғы 24 тамыз", "2022-08-24"),
    ("2022 жылы 24 тамызда", "2022-08-24"),
    ("2022 ж. 24 тамыз", "2022-08-24"),
    ("24 тамыз 2022 ж., 14:30", "2022-08-24T14:30"),
    # English.
    ("August 24, 2022", "2022-08-24"),
    ("24 August 2022", "2022-08-24"),
    ("Aug 24, 2022", "2022-08-24"),
    ("Aug. 24, 2022", "2022-08-24"),
    ("24 Aug 2022", "2022-08-24"),
    ("Sept 1, 2021", "2021-09-01"),
    ("24th August 2022", "2022-08-24"),
    ("August 24th, 2022", "2022-08-24"),
    ("Thursday, August 24, 2022", "2022-08-24"),
    ("August 24, 2022 2:30 PM", "2022-08-24T14:30"),
    ("August 24, 2022 at 12:05 am", "2022-08-24T00:05"),
    ("24 August 2022, 12:30 p.m.", "2022-08-24T12:30"),
    # Labels before and text after the date are ignored.
    ("Опубликовано: 24.08.2022 10:15", "2022-08-24T10:15"),
    ("Дата: 24 Августа, 2022", "2022-08-24"),
    ("Дата публикации: 24.08.2022", "2022-08-24"),
    ("Published: August 24, 2022", "2022-08-24"),
    ("Жарияланды: 24 Тамыз, 2022", "2022-08-24"),
    ("24 августа 2022 года прошла встреча", "2022-08-24"),
    ("24.08.2022 | Просмотров: 409", "2022-08-24"),
    # Leap years.
    ("29.02.2024", "2024-02-29"),
    ("29.02.2000", "2000-02-29"),
    ("  24.08.2022\n", "2022-08-24"),
]


@pytest.mark.parametrize(("raw", "expected"), FAST_CASES)
def test_parse_date_fast_path(raw: str, expected: str, fast_only: None) -> None:
    assert parse_date(raw, now=NOW) == expected


@pytest.mark.parametrize(("raw", "expected"), FAST_CASES[:20])
@pytest.mark.parametrize("lang", ["ru", "kk", "en", None, "xx"])
def test_lang_is_only_a_hint(raw: str, expected: str, lang: str | None) -> None:
    assert parse_date(raw, lang, now=NOW) == expected


RELATIVE_CASES = [
    ("Сегодня", "2024-03-15"),
    ("сегодня", "2024-03-15"),
    ("СЕГОДНЯ", "2024-03-15"),
    ("Сегодня, 10:15", "2024-03-15T10:15"),
    ("Сегодня в 10:15", "2024-03-15T10:15"),
    ("Вчера", "2024-03-14"),
    ("Вчера, 23:59", "2024-03-14T23:59"),
    ("Позавчера", "2024-03-13"),
    ("Today", "2024-03-15"),
    ("today at 9:05 pm", "2024-03-15T21:05"),
    ("Yesterday", "2024-03-14"),
    ("Yesterday, 10:15", "2024-03-14T10:15"),
    ("Бүгін", "2024-03-15"),
    ("Бүгін, 10:15", "2024-03-15T10:15"),
    ("Бугин 10:15", "2024-03-15T10:15"),
    ("Кеше", "2024-03-14"),
    ("Кеше, 18:00", "2024-03-14T18:00"),
    ("Дата: Сегодня", "2024-03-15"),
    ("Опубликовано: Вчера, 10:15", "2024-03-14T10:15"),
]


@pytest.mark.parametrize(("raw", "expected"), RELATIVE_CASES)
def test_relative_dates(raw: str, expected: str, fast_only: None) -> None:
    assert parse_date(raw, now=NOW) == expected


def test_relative_date_across_month_and_year() -> None:
    assert parse_date("Вчера", now=datetime(2024, 3, 1, 0, 30)) == "2024-02-29"
    assert parse_date("Yesterday, 23:00", now=datetime(2024, 1, 1, 8)) == "2023-12-31T23:00"


def test_relative_date_defaults_to_now() -> None:
    before = date.today()
    got = parse_date("Сегодня")
    after = date.today()
    assert got in {before.isoformat(), after.isoformat()}
    assert parse_date("Вчера") in {
        (before - timedelta(days=1)).isoformat(),
        (after - timedelta(days=1)).isoformat(),
    }


TWO_DIGIT_YEAR_CASES = [
    ("24.08.22", NOW, "2022-08-24"),
    ("24/08/22", NOW, "2022-08-24"),
    ("31.12.24", NOW, "2024-12-31"),
    ("01.01.25", NOW, "1925-01-01"),  # never a year after `now`
    ("24.08.99", NOW, "1999-08-24"),
    ("24.08.22 10:15", NOW, "2022-08-24T10:15"),
    ("29.02.00", NOW, "2000-02-29"),
]


@pytest.mark.parametrize(("raw", "now", "expected"), TWO_DIGIT_YEAR_CASES)
def test_two_digit_years(raw: str, now: datetime, expected: str, fast_only: None) -> None:
    assert parse_date(raw, now=now) == expected


# Impossible values: None, and dateparser is not asked to reinterpret them.
INVALID_CASES = [
    "31.02.2022",
    "29.02.2023",
    "29.02.1900",
    "32.01.2022",
    "00.01.2022",
    "24.13.2022",
    "24.00.2022",
    "08/24/2022",  # month first: dateparser would swap it, we do not
    "2022-13-01",
    "2022-02-30",
    "31 апреля 2022",
    "30 февраля 2022",
    "31 June 2022",
    "June 31, 2022",
    "24.08.2022 25:00",
    "24.08.2022 10:60",
    "24.08.2022 10:15:61",
    "August 24, 2022 13:30 PM",
    "24.08.1799",
    "24.08.2200",
    "Сегодня в Астане прошла встреча",  # a sentence, not a date line
    "Вчера президент сказал",
]


@pytest.mark.parametrize("raw", INVALID_CASES)
def test_invalid_dates(raw: str, fast_only: None) -> None:
    assert parse_date(raw, now=NOW) is None


# Nothing date-shaped: the fallback is asked and must not guess.
UNREADABLE_CASES = [
    None,
    "",
    "   ",
    "409",
    "1 234",
    "Просмотров: 1 234",
    "2022",
    "Август",
    "август 2022",
    "August 2022",
    "24 августа",
    "24 Тамыз",
    "Aug 24",
    "в 2022 году",
    "1661337000",  # a Unix timestamp is not a date on a news page
    "20220824",
    "Возврат к списку",
    "Back to the list",
    "10:15",
    "24 Вагона 2022",
    "x" * 200,
]


@pytest.mark.parametrize("raw", UNREADABLE_CASES)
def test_unreadable_dates(raw: str | None) -> None:
    assert parse_date(raw, now=NOW) is None


# Rarer wordings left to dateparser (restricted to ru/kk/en, strict).
FALLBACK_CASES = [
    ("24 08 2022", "ru", "2022-08-24"),
    ("24 августа 22", "ru", "2022-08-24"),
    ("2 дня назад", "ru", "2024-03-13"),
    ("3 часа назад", "ru", "2024-03-15"),
    ("2022, 24 августа", "ru", "2022-08-24"),
    ("Дата: 24 08 2022 10:15", None, "2022-08-24T10:15"),
]


@pytest.mark.parametrize(("raw", "lang", "expected"), FALLBACK_CASES)
def test_dateparser_fallback(raw: str, lang: str | None, expected: str) -> None:
    assert dates.find_date(raw) is None  # really not a fast-path form
    assert parse_date(raw, lang, now=NOW) == expected


FIND_CASES = [
    ("Опубликовано: 24.08.2022 10:15", "24.08.2022 10:15"),
    ("24 Августа, 2022", "24 Августа, 2022"),
    ("Сегодня, 10:15", "Сегодня, 10:15"),
    ("Сегодня", "Сегодня"),
    ("Дата: Вчера", "Вчера"),
    ("24 августа 2022 года прошла встреча", "24 августа 2022"),
    ("24 августа 2022 г., 14:30", "24 августа 2022 г., 14:30"),
    ("24 августа 2022 г.", "24 августа 2022"),
    ("Встреча 24 августа 2022 года в 10:00 в Астане", "24 августа 2022 года в 10:00"),
    ("24.08.2022, 10:15 | 409", "24.08.2022, 10:15"),
    ("Ассамблея 24 Тамыз, 2022 409", "24 Тамыз, 2022"),
    ("Posted on August 24, 2022 by admin", "August 24, 2022"),
    ("2022 жылғы 24 тамызда өтті", "2022 жылғы 24 тамызда"),
    ("31.02.2022 и 01.03.2022", "01.03.2022"),
    ("Версия 1.2.3, выпуск 24.08.2022", "24.08.2022"),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_date(text: str, expected: str) -> None:
    found = find_date(text)
    assert found == expected
    assert found in text
    assert parse_date(found, now=NOW) is not None


FIND_NONE_CASES = [
    "",
    "409",
    "Просмотров: 1 234",
    "Количество просмотров: 409",
    "2022",
    "Ассамблея народа Казахстана",
    "Возврат к списку",
    "В 2022 году Ассамблея провела более 300 мероприятий в 17 регионах страны, "
    "а к 2025 году планируется охватить 1 234 567 человек.",
    "Сегодня в Астане прошла встреча",
    "Кеше Астанада кездесу өтті",
    "Тел.: 8 (7172) 74-01-19",
    "Телефон 21-05-19",
    "24 августа",
    "31.02.2022",
    "Версия 1.5.22",
    "10:15",
    "Мая 2022",
]


@pytest.mark.parametrize("text", FIND_NONE_CASES)
def test_find_date_none(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "24 Августа, 2022",
        "  24.08.2022 10:15 ",
        "Дата публикации: 24.08.2022",
        "Опубликовано 24 августа 2022 г.",
        "📅 24.08.2022",
        "Сегодня, 10:15",
        "Сегодня",
        "Thursday, August 24, 2022",
        "24 тамыз 2022 ж.",
    ],
)
def test_is_date_line(text: str) -> None:
    assert is_date_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "409",
        "24 августа 2022 года прошла встреча",
        "Сегодня в Астане прошла встреча",
        "24.08.2022 Просмотров: 409",
        "Ассамблея народа Казахстана",
        "Встреча прошла 24.08.2022",
    ],
)
def test_is_not_date_line(text: str) -> None:
    assert not is_date_line(text)


def test_dateparser_is_imported_lazily() -> None:
    code = (
        "import sys, crawler.extract.dates as d\n"
        "assert d.parse_date('24 Августа, 2022') == '2022-08-24'\n"
        "assert d.find_date('Сегодня, 10:15')\n"
        "print('dateparser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- Fast path == dateparser ---------------------------------------------------------

RU_GEN = [forms[1] for forms in vocabulary.RU_MONTHS]
RU_NOM = [forms[0] for forms in vocabulary.RU_MONTHS]
RU_ABBR = [forms[2] if len(forms) > 2 else forms[0] for forms in vocabulary.RU_MONTHS]
KK = vocabulary.KK_MONTHS
EN = [forms[0].capitalize() for forms in vocabulary.EN_MONTHS]
EN_ABBR = [forms[-1].capitalize() for forms in vocabulary.EN_MONTHS]

FORMATS = {
    "ru-site": ("ru", lambda d: f"{d.day} {RU_GEN[d.month - 1].capitalize()}, {d.year}"),
    "ru-genitive": ("ru", lambda d: f"{d.day} {RU_GEN[d.month - 1]} {d.year}"),
    "ru-nominative": ("ru", lambda d: f"{d.day} {RU_NOM[d.month - 1]} {d.year}"),
    "ru-abbr": ("ru", lambda d: f"{d.day} {RU_ABBR[d.month - 1]}. {d.year}"),
    "ru-time": (
        "ru",
        lambda d: f"{d.day} {RU_GEN[d.month - 1]} {d.year} г., {d.month + 3:02d}:{d.day:02d}",
    ),
    "numeric": ("ru", lambda d: f"{d:%d.%m.%Y}"),
    "numeric-time": ("ru", lambda d: f"{d:%d.%m.%Y} {d.day % 24:02d}:{d.month * 4:02d}"),
    "slash": ("ru", lambda d: f"{d:%d/%m/%Y}"),
    "iso": ("en", lambda d: f"{d:%Y-%m-%d}"),
    "kk-site": ("kk", lambda d: f"{d.day} {KK[d.month - 1].capitalize()}, {d.year}"),
    "kk-lower": ("kk", lambda d: f"{d.day} {KK[d.month - 1]} {d.year}"),
    "en-mdy": ("en", lambda d: f"{EN[d.month - 1]} {d.day}, {d.year}"),
    "en-dmy": ("en", lambda d: f"{d.day} {EN[d.month - 1]} {d.year}"),
    "en-abbr-mdy": ("en", lambda d: f"{EN_ABBR[d.month - 1]} {d.day}, {d.year}"),
    "en-abbr-dmy": ("en", lambda d: f"{d.day} {EN_ABBR[d.month - 1]} {d.year}"),
    "en-time": ("en", lambda d: f"{EN[d.month - 1]} {d.day}, {d.year} {d.day % 12 + 1}:05 PM"),
}


def _generated_dates(n: int = 200) -> list[date]:
    # Every 67th day from 1995: all months, all day numbers, leap days over 36 years.
    return [date(1995, 1, 1) + timedelta(days=67 * i) for i in range(n)]


@pytest.mark.parametrize("name", FORMATS)
def test_fast_path_agrees_with_dateparser(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lang, fmt = FORMATS[name]
    texts = [fmt(d) for d in _generated_dates()]
    slow = [dates._parse_with_dateparser(t, lang, NOW) for t in texts]
    monkeypatch.setattr(dates, "_parse_with_dateparser", None)  # fast path only from here
    fast = [parse_date(t, lang, NOW) for t in texts]
    mismatches = [(t, f, s) for t, f, s in zip(texts, fast, slow, strict=True) if f != s]
    assert not mismatches, mismatches[:5]
    assert None not in fast
