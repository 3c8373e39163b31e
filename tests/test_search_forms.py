"""Stemmed search keeps only forms of the query word (false friends left out), ranks
the query's language first, and bounds what a query may ask."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.archive import search as archive_search
from crawler.archive.database import open_archive
from crawler.archive.filters import ArticleFilter
from crawler.archive.store import ArchiveStore
from crawler.cli import main
from crawler.items import Article

#: slug → (language, title, body). Each body holds a form of a word or a false friend.
TEXTS = {
    "ru-semei": ("ru", "Конкурс для многодетных", "Участвовали двадцать многодетных семей."),
    "ru-semyi": ("ru", "Поддержка", "Центр поддержки семьи открылся."),
    "ru-seminar": ("ru", "Семинар для учителей", "Прошёл семинар для учителей школ."),
    "ru-semei-city": ("ru", "Фестиваль", "Фестиваль прошёл в городе Семей."),
    "ru-semee-city": ("ru", "Выставка", "Выставка открылась в Семее на прошлой неделе."),
    "ru-suda": ("ru", "Решение", "Решение суда вступило в силу."),
    "ru-sudba": ("ru", "Ветеран", "Судьба ветерана тронула всех."),
    "ru-zakon": ("ru", "Закон", "Новые законы приняты депутатами."),
    "ru-zakonodatelstvo": ("ru", "Право", "Депутаты обсудили законодательство."),
    "ru-mir": ("ru", "Форум", "Участники выступили за мир и согласие."),
    "ru-mirny": ("ru", "Митинг", "Прошёл мирный митинг."),
    "kk-halqy": ("kk", "Мереке", "Қазақстан халқы мерекені тойлады."),
    "kk-halyqaralyq": ("kk", "Форум", "Халықаралық форум өтті."),
    "kk-balalar": ("kk", "Мектеп", "Мектепте балалар ән айтты."),
    "kk-balans": ("kk", "Есеп", "Кәсіпорынның баланс есебі жарияланды."),
    "kk-elde": ("kk", "Жаңалық", "Бұл елде бейбітшілік бар."),
    "kk-elshi": ("kk", "Кездесу", "Жаңа елші келді."),
    "kk-semei-city": ("kk", "Фестиваль", "Биыл фестиваль Семей қаласында өтті."),
    "ru-both": (
        "ru",
        "Встреча",
        "Прошёл семинар для учителей. "
        + "Говорили о школе и детях. " * 6
        + "Позже пришли представители многодетных семей.",
    ),
}


@pytest.fixture
def forms_archive(tmp_path):
    path = tmp_path / "forms.db"
    store = ArchiveStore(path)
    store.save_articles(
        [
            Article(
                url=f"https://example.kz/{slug.split('-')[0]}/news/{slug}/",
                lang=lang,
                title=title,
                published="2024-01-01",
                published_raw="01.01.2024",
                views=None,
                views_raw=None,
                body=body,
                category=None,
                image_urls=[],
                fetched_at="2026-11-20T10:00:00Z",
            )
            for slug, (lang, title, body) in TEXTS.items()
        ]
    )
    store.close()
    return path


def found(path, query: str, lang: str | None = None) -> set[str]:
    db = open_archive(path)
    try:
        hits = archive_search.search(db, query, ArticleFilter(lang), limit=100)
    finally:
        db.close()
    for hit in hits:
        assert "[" in hit.snippet, hit  # a matched word shows in the snippet
    return {hit.url.rstrip("/").rsplit("/", 1)[1] for hit in hits}


@pytest.mark.parametrize(
    ("query", "lang", "forms", "false_friends"),
    [
        ("семья", None, {"ru-semei", "ru-semyi"}, {"ru-seminar", "ru-semei-city", "kk-semei-city"}),
        ("семья", None, set(), {"ru-semee-city"}),  # «в Семее», the city again
        ("семинар", None, {"ru-seminar"}, {"ru-semei", "ru-semyi"}),
        ("суд", "ru", {"ru-suda"}, {"ru-sudba"}),
        ("закон", None, {"ru-zakon"}, {"ru-zakonodatelstvo"}),
        ("мир", "ru", {"ru-mir"}, {"ru-mirny"}),
        ("халық", None, {"kk-halqy"}, {"kk-halyqaralyq"}),
        ("бала", "kk", {"kk-balalar"}, {"kk-balans"}),
        ("ел", "kk", {"kk-elde"}, {"kk-elshi"}),
    ],
)
def test_stemmed_matches_are_forms_of_the_word(forms_archive, query, lang, forms, false_friends):
    hits = found(forms_archive, query, lang)
    assert forms <= hits
    assert not (false_friends & hits)


@pytest.mark.parametrize(
    ("term", "word", "expected"),
    [
        ("семьи", "семья", True),
        ("семей", "семья", True),
        ("семинара", "семья", False),
        ("халқы", "халық", True),
        ("халықаралық", "халық", False),
        ("парламенттің", "парламент", True),
        ("баланс", "бала", False),
    ],
)
def test_is_form_of(term, word, expected):
    assert archive_search.is_form_of(term, word) is expected


def ranked_langs(path, query: str) -> list[str]:
    result = CliRunner().invoke(main, ["search", "--db", str(path), "--json", query])
    assert result.exit_code == 0, result.output
    return [hit["lang"] for hit in json.loads(result.stdout)]


def test_the_query_language_comes_first(tmp_path):
    """A Kazakh article with the word in its title outranks a Russian one by bm25; a
    Russian query still shows the Russian article first, and a Kazakh one the Kazakh."""
    path = tmp_path / "rank.db"
    store = ArchiveStore(path)
    common = {"published": "2024-01-01", "published_raw": "x", "views": None}
    store.save_articles(
        [
            Article(
                url="https://example.kz/kz/news/a/",
                lang="kk",
                title="Форум форум форум",
                body="Форум өтті. Форумға қатысушылар келді.",
                views_raw=None,
                category=None,
                image_urls=[],
                fetched_at="2026-11-20T10:00:00Z",
                **common,
            ),
            Article(
                url="https://example.kz/ru/news/b/",
                lang="ru",
                title="Встреча в Астане",
                body="Долгий текст о встрече. " * 20 + "Был и форум.",
                views_raw=None,
                category=None,
                image_urls=[],
                fetched_at="2026-11-20T10:00:00Z",
                **common,
            ),
        ]
    )
    store.close()
    assert ranked_langs(path, "форум") == ["ru", "kk"]
    assert ranked_langs(path, "форумға") == ["kk", "ru"] or ranked_langs(path, "форумға") == ["kk"]
    assert archive_search.guess_language("форум") == "ru"
    assert archive_search.guess_language("халық") == "kk"
    assert archive_search.guess_language("forum") == "en"


def test_repeated_words_are_searched_once_and_many_words_refused(archive_path):
    assert archive_search.match_expression("мир " * 1000) == archive_search.match_expression("мир")
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "медиация " * 1000])
    assert result.exit_code == 0, result.output
    many = " ".join(f"слово{n}" for n in range(40))
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), many])
    assert result.exit_code == 2
    assert result.output == "Error: too many words to search for: at most 32 different ones\n"


def test_a_huge_limit_and_a_leading_dash(archive_path):
    result = CliRunner().invoke(
        main, ["search", "--db", str(archive_path), "--limit", "99999999999999999999", "медиация"]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["search", "--db", str(archive_path), "--", "-медиация"])
    assert result.exit_code == 0, result.output
    assert "медиац" in result.stdout


def test_the_snippet_shows_a_form_not_a_false_friend(forms_archive):
    db = open_archive(forms_archive)
    try:
        hits = archive_search.search(db, "семья", ArticleFilter(), limit=100)
    finally:
        db.close()
    [both] = [hit for hit in hits if hit.url.endswith("/ru-both/")]
    assert "[семей]" in both.snippet
    assert "[семинар]" not in both.snippet
