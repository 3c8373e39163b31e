"""The sites file: reading it, and one line naming file, line and key for each mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.extract.overrides import Selectors
from crawler.site_profiles import (
    SitesFileError,
    bundled_sites,
    download_slots,
    load_sites,
    parse_sites,
)

GOOD = """\
# two sites
[[site]]
name = "assembly.kz"
start_urls = ["https://assembly.kz/ru/news/", "https://assembly.kz/kz/news/"]
time_zone = "Asia/Almaty"
delay = 2.5
concurrency = 2
notes = "the first target"

[site.selectors]
title = "h1.news-title::text"
date = "//span[@class='date']/text()"

[[site]]
name = "akorda"
start_urls = ["https://www.akorda.kz/ru/news"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_bundled_file_holds_assembly_kz():
    sites = bundled_sites()
    assert sites.names == ["assembly.kz"]
    (profile,) = sites.profiles
    assert profile.time_zone == "Asia/Almaty"
    assert profile.start_urls == (
        "https://assembly.kz/ru/news/",
        "https://assembly.kz/kz/news/",
        "https://assembly.kz/en/news/",
    )
    assert profile.selectors == Selectors()
    assert "UNCONFIRMED" in profile.notes


def test_a_file_with_every_key(tmp_path):
    sites = load_sites(write(tmp_path, GOOD))
    assert sites.names == ["assembly.kz", "akorda"]
    first, second = sites.profiles
    assert first.delay == 2.5 and first.concurrency == 2 and first.notes == "the first target"
    assert first.selectors.title == "h1.news-title::text"
    assert first.selectors.date.startswith("//span")
    assert second.delay is None and second.time_zone == ""
    # URLs find their site by host, www. or not; others are named by their host.
    assert sites.name_for_url("https://akorda.kz/ru/news/123") == "akorda"
    assert sites.name_for_url("https://www.assembly.kz/en/news/x/") == "assembly.kz"
    assert sites.name_for_url("http://127.0.0.1:8000/ru/news/") == "127.0.0.1"
    assert sites.time_zone_for_url("https://assembly.kz/ru/news/1/") == "Asia/Almaty"
    assert sites.selectors_for_url("https://akorda.kz/x") == Selectors()
    assert sites.named(["akorda"]) == [second]


def test_download_slots_give_each_host_the_site_pace(tmp_path):
    sites = load_sites(write(tmp_path, GOOD))
    slots = download_slots(list(sites.profiles))
    assert slots["assembly.kz"] == {"delay": 2.5, "jitter": 0.0, "concurrency": 2}
    assert slots["www.assembly.kz"] == slots["assembly.kz"]
    assert "akorda.kz" not in slots  # no pace of its own: the crawl's settings


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, GOOD)
    monkeypatch.setenv("NEWS_ARCHIVE_SITES", str(path))
    assert load_sites().names == ["assembly.kz", "akorda"]
    monkeypatch.delenv("NEWS_ARCHIVE_SITES")
    assert load_sites().names == ["assembly.kz"]


def test_a_changed_file_is_read_again(tmp_path):
    path = write(tmp_path, GOOD)
    assert len(load_sites(path).profiles) == 2
    path.write_text(GOOD.split('[[site]]\nname = "akorda"')[0], encoding="utf-8")
    assert load_sites(path).names == ["assembly.kz"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[[site]]\nname = "a"\nstart_urls = ["https://a.kz/news/"\n', ":3: not valid TOML"),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\ncolour = 1\n',
            ":4: site 'a': colour",
        ),
        (
            '[[site]]\nname = "a b"\nstart_urls = ["https://a.kz/"]\n',
            ":2: site 'a b': name: must be a word",
        ),
        ('[[site]]\nname = "a"\n', ":1: site 'a': start_urls: must be a list"),
        ('[[site]]\nname = "a"\nstart_urls = ["ftp://a.kz/"]\n', ":3: site 'a': start_urls: not"),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\ntime_zone = "Asia/Astana"\n',
            ":4: site 'a': time_zone: unknown time zone 'Asia/Astana'",
        ),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\ndelay = -1\n',
            ":4: site 'a': delay: must be seconds",
        ),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\nconcurrency = true\n',
            ":4: site 'a': concurrency",
        ),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\n\n'
            '[site.selectors]\ntitle = "h1"\nbody = "div[["\n',
            ":7: site 'a': selectors.body: not a valid CSS selector",
        ),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\nselectors = { titel = "h1" }\n',
            ":4: site 'a': selectors.titel: unknown field",
        ),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\n'
            '[[site]]\nname = "a"\nstart_urls = ["https://b.kz/"]\n',
            ":5: name: site 'a' is listed twice",
        ),
        (
            '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/ru/"]\n'
            '[[site]]\nname = "b"\nstart_urls = ["https://www.a.kz/kz/"]\n',
            ":6: site 'b': start_urls: host a.kz belongs to site 'a'",
        ),
        ('sites = 1\n[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\n', ":1: sites: unknown"),
    ],
)
def test_each_mistake_is_one_line_with_file_line_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(SitesFileError) as error:
        load_sites(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(str(path) + ":"), message
    assert expected in message, message


def test_unknown_site_and_missing_file(tmp_path):
    sites = parse_sites(GOOD, "x.toml")
    with pytest.raises(SitesFileError, match="unknown site 'nope' in x.toml .known: assembly"):
        sites.named(["nope"])
    with pytest.raises(SitesFileError, match="no such sites file"):
        load_sites(tmp_path / "missing.toml")
    with pytest.raises(SitesFileError, match="is a directory"):
        load_sites(tmp_path)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--sites", "BAD"], ":4: site 'a': colour: unknown key"),
        (["--sites", "MISSING"], "no such sites file"),
        (["--site", "nope"], "unknown site 'nope'"),
        (["--site", "assembly.kz", "--start-url", "https://a.kz/news/"], "not both"),
        (["-s", "NEWS_ARCHIVE_SITE=nope"], "unknown site 'nope'"),
    ],
)
def test_crawl_refuses_a_bad_sites_argument_before_anything(tmp_path, args, expected):
    bad = write(tmp_path, '[[site]]\nname = "a"\nstart_urls = ["https://a.kz/"]\ncolour = 1\n')
    args = [{"BAD": str(bad), "MISSING": str(tmp_path / "missing.toml")}.get(a, a) for a in args]
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(main, ["crawl", "--db", str(db), *args])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not db.exists()
