"""The charset decision: bytes over a contradicting header (issue: mojibake or U+FFFD
stored silently, the date lost)."""

from __future__ import annotations

import pytest

from crawler.extract.encoding import decode_page
from crawler.extract.fetched_page import decode

TEXT = "<p>24 Августа, 2022. Қазақстан халқы Ассамблеясы — семинар в Индерском районе.</p>"
RU = "<p>24 Августа, 2022. Семинар в Индерском районе прошёл успешно.</p>"


@pytest.mark.parametrize("header", ["windows-1251", "koi8-r", "iso-8859-1", None, "utf-8"])
def test_valid_utf8_is_utf8_whatever_the_header_says(header):
    assert decode(TEXT.encode("utf-8"), header) == TEXT
    assert decode_page(TEXT.encode("utf-8"), header).replacements == 0


@pytest.mark.parametrize("header", ["utf-8", None, "utf-16"])
def test_windows_1251_under_a_utf8_header_is_read_as_windows_1251(header):
    assert decode(RU.encode("cp1251"), header) == RU


def test_a_meta_that_decodes_cleanly_wins_over_the_header():
    page = '<meta charset="koi8-r">' + RU
    assert decode_page(page.encode("koi8_r"), "windows-1251").encoding == "koi8-r"


def test_bom():
    result = decode_page(b"\xff\xfe" + RU.encode("utf-16-le"), "windows-1251")
    assert (result.text, result.encoding) == (RU, "utf-16-le")


def test_a_few_broken_bytes_in_utf8_are_counted_not_turned_to_mojibake():
    body = RU.encode("utf-8") * 3 + b"\xff"
    result = decode_page(body, "windows-1251")
    assert result.encoding == "utf-8"
    assert result.replacements == 1
    assert "Семинар" in result.text


def test_ascii_is_ascii():
    assert decode_page(b"<p>Hello</p>", "windows-1251").text == "<p>Hello</p>"
