"""``news-archive search``: the FTS5 index, inflected Russian and Kazakh, bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.archive.search import (
    FTS_COLUMNS,
    FTS_TABLE,
    ensure_fts,
    has_fts,
    kazakh_stem,
    match_expression,
    word_stems,
)
from crawler.archive.store import ArchiveStore
from crawler.cli import main
from crawler.items import Article

SEMINAR = "https://assembly.kz/ru/news/seminar/"
KURS = "https://assembly.kz/ru/news/kurs/"
PARLAMENT = "https://assembly.kz/kz/news/parlament/"
UNITY = "https://assembly.kz/en/news/unity/"


def search_urls(archive_path, *args: str) -> list[str]:
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "--json", *args])
    assert result.exit_code == 0, result.output
    return [hit["url"] for hit in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("депутаттарының", "депутат"),
        ("парламенттің", "парламент"),
        ("мектебінде", "мектеб"),
        ("елімізде", "ел"),
        ("сайлауы", "сайлау"),
        ("келісім", "келіс"),
        ("бала", "бала"),
    ],
)
def test_kazakh_stem(word, stem):
    assert kazakh_stem(word) == stem


@pytest.mark.parametrize(
    ("word", "lang", "stems"),
    [
        ("медиация", None, {"медиац"}),
        ("медиацию", "ru", {"медиац"}),
        ("халқы", None, {"халқ", "халық", "халғ"}),
        ("кітабы", "kk", {"кітаб", "кітап"}),
        ("орны", None, {"орн", "орын"}),
        ("ёлка", "ru", {"ёлк", "елк"}),
        ("mediation", None, {"mediat"}),
        ("2022", None, set()),
        ("в", "ru", set()),
    ],
)
def test_word_stems(word, lang, stems):
    assert word_stems(word, lang) == stems


def test_match_expression_quotes_everything():
    assert match_expression("Медиацию") == '("медиацию" OR "медиац"*)'
    assert match_expression('"Ассамблея народа" OR -x') == ('"ассамблея народа" AND "or" AND "x"')


@pytest.mark.parametrize(
    ("query", "urls"),
    [
        ("медиация", [KURS, SEMINAR]),  # the texts say «медиацию», «медиации»
        ("медиациями", [KURS, SEMINAR]),
        ("парламент", [PARLAMENT]),  # парламенттің, парламентте
        ("депутат", [PARLAMENT]),  # депутаттары
        ("Ассамблея", [PARLAMENT]),  # Ассамблеясының
        ("халық", [PARLAMENT]),  # халқы
        ("бірлігі", [PARLAMENT]),  # бірлік
        ("согласия совета", [SEMINAR]),  # согласия, Совет
        ("seminars", [UNITY]),
        ('"итоги работы"', []),  # a phrase is exact: the text says «обсудил итоги»
    ],
)
def test_recall_on_inflected_forms(archive_path, query, urls):
    assert search_urls(archive_path, *query.split()) == urls


def test_kazakh_two_letter_root_with_lang(archive_path):
    assert search_urls(archive_path, "елде", "--lang", "kk") == [PARLAMENT]  # Елімізде


def test_filters_and_limit(archive_path):
    assert search_urls(archive_path, "медиация", "--since", "2023") == [KURS]
    assert search_urls(archive_path, "медиация", "--until", "2022-12") == [SEMINAR]
    assert search_urls(archive_path, "медиация", "--lang", "kk") == []
    assert search_urls(archive_path, "медиация", "--limit", "1") == [KURS]


def test_text_output(archive_path):
    """The exact form ranks first (it matches as itself and by its stem)."""
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "медиации"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"1. 2022-08-24  ru  Семинар в Индерском районе\n"
        f"   {SEMINAR}\n"
        f"   Координатор по [медиации] рассказала о работе. Совет общественного согласия "
        "обсудил итоги.\n"
        "\n"
        f"2. 2023-01-15T10:15  ru  =Курс по медиацию\n"
        f"   {KURS}\n"
        f"   -Первый абзац; «кавычки», запятые. Второй абзац про [медиацию].\n"
    )


def test_json_output_fields(archive_path):
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "--json", "халық"])
    [hit] = json.loads(result.stdout)
    assert set(hit) == {"url", "lang", "published", "title", "snippet", "score", "site"}
    assert (hit["lang"], hit["published"], hit["title"]) == (
        "kk",
        "2023-02-01",
        "Парламенттің отырысы",
    )
    assert "[халқы]" in hit["snippet"]


def test_no_match_says_so_on_stderr(archive_path):
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "кошка"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no article matches\n")


def test_index_follows_edits(archive_path):
    store = ArchiveStore(archive_path)
    [old] = [a for a in _articles(store) if a.url == SEMINAR]
    old.body = "Теперь здесь про фестиваль."
    old.fetched_at = "2026-11-22T10:00:00Z"
    store.save_articles([old])
    store.close()
    assert search_urls(archive_path, "медиация") == [KURS]
    assert search_urls(archive_path, "фестивалей") == [SEMINAR]


def _articles(store: ArchiveStore) -> list[Article]:
    rows = store.db.query("SELECT * FROM articles")
    return [
        Article(
            url=r["url"],
            lang=r["lang"],
            title=r["title"],
            published=r["published"],
            published_raw=r["published_raw"],
            views=r["views"],
            views_raw=r["views_raw"],
            body=r["body"],
            category=r["category"],
            image_urls=json.loads(r["image_urls"]),
            fetched_at=r["last_seen"],
        )
        for r in rows
    ]


def test_index_is_what_sqlite_utils_and_datasette_detect(archive_path):
    db = sqlite_utils.Database(archive_path)
    assert db["articles"].detect_fts() == FTS_TABLE
    assert has_fts(db)
    assert [r["url"] for r in db["articles"].search("медиацию")] == [KURS]
    conn = sqlite3.connect(archive_path)  # plain sqlite3 opens it as it is
    assert conn.execute(f"SELECT count(*) FROM {FTS_TABLE}").fetchone() == (4,)


def test_missing_index_is_built_on_first_search(archive_path):
    db = sqlite_utils.Database(archive_path)
    db["articles"].disable_fts()
    assert not has_fts(db)
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "медиация"])
    assert result.exit_code == 0
    assert result.stderr == "building the search index (once)...\n"
    assert has_fts(db)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["!!!"], 2, "Error: nothing to search for in '!!!'\n"),
        ([], 2, "Error: Missing argument 'TEXT...'. (see --help)\n"),
        (
            ["x", "--since", "2022-02-30"],
            2,
            "Error: Invalid value for '--since': not a date: '2022-02-30' "
            "(day is out of range for month) (see --help)\n",
        ),
        (
            ["x", "--lang", "kz"],
            2,
            "Error: no article in language 'kz' (the archive has en, kk, ru)\n",
        ),
        (
            ["x", "--limit", "0"],
            2,
            "Error: Invalid value for '--limit': 0 is not in the range x>=1. (see --help)\n",
        ),
    ],
)
def test_bad_input_is_one_line(archive_path, args, code, message):
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), *args])
    assert (result.exit_code, result.output) == (code, message)


def test_missing_database_is_not_created(tmp_path):
    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(main, ["search", "--db", str(missing), "медиация"])
    assert (result.exit_code, result.output) == (4, f"Error: database not found: {missing}\n")
    assert not missing.exists()


def test_index_follows_text_changes_only(tmp_path):
    """A refetch that changes only the view count leaves the index alone; a changed
    body is re-indexed; an archive with sqlite-utils' plain update trigger is upgraded."""
    db = sqlite_utils.Database(tmp_path / "a.db")
    db["articles"].insert({"url": "u", "title": "Медиация", "body": "текст", "views": 1}, pk="url")
    db["articles"].enable_fts(FTS_COLUMNS, create_triggers=True)  # an older archive
    ensure_fts(db)
    assert has_fts(db)
    index_rows = f"SELECT count(*) FROM {FTS_TABLE}_data"  # FTS5 writes a segment per change
    before = db.execute(index_rows).fetchone()
    db["articles"].upsert({"url": "u", "title": "Медиация", "body": "текст", "views": 2}, pk="url")
    assert db.execute(index_rows).fetchone() == before
    db["articles"].upsert({"url": "u", "title": "Медиация", "body": "новый текст"}, pk="url")
    assert [r["url"] for r in db["articles"].search("новый")] == ["u"]
    assert list(db["articles"].search("медиация"))
    assert db.execute(f"SELECT count(*) FROM {FTS_TABLE}").fetchone() == (1,)
    ensure_fts(db)  # idempotent
    assert db.execute(f"SELECT count(*) FROM {FTS_TABLE}").fetchone() == (1,)
